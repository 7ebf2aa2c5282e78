## タイムライン

timeline-title = タイムライン
timeline-span = 表示範囲 { $span }
timeline-in-view = 表示中 { $count }件 · { $mode }
timeline-mode-marks = イベントを1件ずつ表示
timeline-mode-exact = 画素列ごとの件数（正確。表示中が { $limit }件未満ならイベントを表示）
timeline-mode-hourly = 画素列ごとの件数（1時間ごとの集計。表示中が { $limit }件未満ならイベントを表示）
timeline-whole-case = ケース全体
timeline-zoom-in = 拡大
timeline-zoom-out = 縮小
timeline-loading = 読み込み中…
timeline-axis = 時間軸：{ $zone }
timeline-density = ケース全体（イベント）

span-seconds = { $n }秒
span-minutes = { $n }分
span-hours = { $n }時間
span-days = { $n }日間
span-years = { $n }年

## レーン、ツールチップ、凡例、レーン上の帯

timeline-no-account = （アカウントなし）
timeline-lane-accounts = アカウント：{ $accounts }
timeline-lane-click = クリック：担当者のページを開く
timeline-tip-when = { $when }（{ $zone }）
# The span on two lines: both times with seconds do not fit one tooltip line.
timeline-tip-range =
    { $from } ～
    { $to }（{ $zone }）
timeline-tip-system = システム：{ $system }
timeline-tip-categories = データ項目：{ $categories }
timeline-tip-outcome = 結果：{ $outcome }
timeline-tip-event = イベント { $id } — クリックで詳細
timeline-tip-most = 最多のデータ項目：{ $category }
timeline-tip-refused = { $outcome } { $count }件
timeline-legend-system-note = （件数はデータ項目別の色のみ。拡大すると各イベントを表示）
timeline-legend-outcome-note = （件数は灰色。表示範囲内の拒否・失敗した試行を上に重ねて表示：{ $count }件）
timeline-coverage-gap = { $file }：イベントなし（記録の欠落）
timeline-coverage-not-retained = { $file }：保存されていない（申告）
timeline-milestone-tip = 節目（{ $kind }）、記載どおりの日時：{ $raw }
timeline-mode-counting = 集計済みの画素列の正確な件数（斜線：未集計）
timeline-mode-daily-first = 日ごとの集計による画素列ごとの件数（1時間ごとの件数をこの後に表示）
