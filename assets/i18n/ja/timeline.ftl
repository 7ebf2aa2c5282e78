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
