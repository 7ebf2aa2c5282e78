# 書き出した events.csv の列見出し（`--headers ja`）。列とその順序は英語の見出しと同じ。

csv-header-event-id = イベントID
csv-header-time-utc = 時刻（UTC）
csv-header-time-local = 時刻（{ $zone }）
csv-header-person-id = 人物ID
csv-header-person = 人物
csv-header-organization = 組織
csv-header-actor-country = 勤務国
csv-header-account = アカウント
csv-header-src-ip = 接続元IPアドレス
csv-header-system = システム
csv-header-system-country = システムの保存国
csv-header-action = 操作
csv-header-object = 対象
csv-header-categories = データ項目
csv-header-records = 記録数
csv-header-outcome = 結果
csv-header-subjects = 本人
csv-header-session = セッション
csv-header-ticket = チケット
csv-header-raw-time = 記録された時刻の表記
csv-header-source-file = 取込元ファイル
csv-header-source-id = 取込元ID
csv-header-line = 行
csv-header-line-end = 終了行

## 書出しフォームの見出し言語

export-headers = 列見出し：
export-headers-en = 英語
export-headers-ja = 日本語
export-headers-tip = CSVファイルの見出し行の言語。英語（event_id, time_utc, …）はスクリプトが読む固定の列名、日本語（イベントID, 時刻（UTC）, …）は表計算ソフトで読むための列名。列とその順序は同じ。
