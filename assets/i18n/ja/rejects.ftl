## 不採用行の一覧

rejects-title = 不採用行
rejects-reading = 不採用行を読み込み中…
rejects-select-hint = 行を選ぶと、その生のテキストと、同じソースの前後のイベントを表示します。
rejects-all-sources = すべてのソース（不採用行 { $rows }件）
rejects-source-id = ソース { $id }
rejects-source-rows = { $file }（不採用行 { $rows }件）
rejects-source = ソース：
rejects-only-mentions = 既知の担当者または本人に言及する行のみ
rejects-listed = 不採用行 { $total }件中 { $listed }件を表示。うち { $mentioning }件が既知のアカウント・担当者・本人に言及
rejects-first-only = （先頭の { $limit }件。`retrace rejects CASE --limit N` でさらに表示）
rejects-none = 表示する不採用行はありません。
rejects-mentions-suffix = { "  " }— 言及：{ $mentions }
rejects-field-file = ファイル
rejects-field-line = 行
rejects-field-source = ソース
rejects-field-reason = 理由
rejects-raw = ファイルに書かれたままの生のテキスト：
rejects-roster-row = 名簿の行：言及は調べません（名簿の行は人を名指しするため）。
rejects-no-mentions = 既知のアカウント・担当者・本人への言及はありません。
rejects-mentions = 言及（どの集計にも含まれないため、関係する数は「少なくとも」）：
rejects-around = { $file } の { $line }行目の前後のイベント（時刻は { $zone }）
rejects-reading-neighbours = 前後のイベントを読み込み中…
rejects-no-events = このソースにはイベントがありません（すべての行が不採用）。
rejects-col-line = 行
rejects-col-time = 時刻
rejects-col-account = アカウント
rejects-col-system = システム
rejects-col-action = 操作
rejects-col-outcome = 結果
rejects-line = { $line }行目
rejects-this-row = この不採用行
rejects-show-events = この { $count }件のイベントをタイムラインに表示
rejects-show-events-tip = タイムラインと表をこれらのイベントだけに絞り込みます
rejects-event-tip = イベント { $id }：タイムラインで選択
rejects-chip = 不採用 { $place } の前後

## 不採用の理由（取り込み時に記録された理由）

reject-reason-as-written = 「{ $reason }」（記録された原文のまま引用）
reject-reason-no-time = 時刻なし（時刻の列が空）
reject-reason-empty-time = 時刻が空
reject-reason-no-such-date = 存在しない日付（{ $value }）
reject-reason-no-such-time = 存在しない時刻（{ $value }）
reject-reason-offset-range = UTCオフセットが範囲外（{ $value }）
reject-reason-unrecognised-time = 時刻として読めない値（{ $value }）
reject-reason-epoch-range = エポック秒が範囲外（{ $value }）
reject-reason-records = 記録数が0以上の整数でない（{ $value }）
reject-reason-time-range = 時刻 { $value } は { $read } と読めるが、アクセスイベントとして受け付ける範囲（1970-01-01 ～ 2099-12-31 UTC）の外にある（仮の値又は破損した値であり、アクセスではない）
reject-reason-local-time = 現地時刻 { $time } はタイムゾーン { $zone } に当てはめられない
