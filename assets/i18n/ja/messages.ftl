## アプリのメッセージ：拒否、書き込みの結果、ステータスバーに出る処理名、進行段階、ファイル
## ダイアログ。コアからのエラーの詳細は、前置きの後にそのまま示す。

## 拒否

msg-review-refusal = このケースは閲覧専用で開いています：ケースには何も書き込みません（エクスポート、注記、報告書の文面はいずれも管理記録に記録されるため）。書き込むには通常どおり開いてください。
msg-review-no-views = このケースは閲覧専用で開いています：ビューの保存・削除はできません。変更するには通常どおり開いてください。
msg-review-no-import = このケースは閲覧専用で開いています：取り込みはできません。取り込むには通常どおり開いてください。
msg-review-no-decisions = このケースは閲覧専用で開いています：判断とパラメータは記録できません。記録するには通常どおり開いてください。
msg-name-first = 先に名前を入力してください（検出結果の画面で求められます）：判断とパラメータは、誰が行ったかとともに管理記録に記録されます。
msg-name-first-annotate = 先に調査担当者の名前を入力してください（注記の欄で求められます）。
msg-open-case-first = 先にケースを開くか作成し、そこへファイルを取り込んでください。
msg-no-data-dir = サンプルケース用のデータフォルダがありません。ケースを開いてください。

## 失敗（エラーの詳細は原文のまま後に続く）

msg-query-threads = 検索用スレッドを開始できません：{ $error }
msg-thread = スレッドを開始できません：{ $error }
msg-worker-stopped = { $task }：処理が予期せず停止しました
msg-sample-failed = サンプルケースを作成できませんでした：{ $error }
msg-import-failed = 取り込みに失敗しました：{ $error }
msg-name-not-saved = 名前を保存できませんでした：{ $error }
msg-no-person = このケースに担当者 { $key } はいません

## 結果

msg-kept = 取り込み後も保持：{ $what }。
msg-kept-filters = 絞り込み条件{ $count }件
msg-kept-selected-event = 選択中のイベント（{ $id }）
msg-kept-selected-range = 選択中の期間
msg-kept-visible-range = 表示中の期間
msg-annotation-saved = 注記 { $id } を保存し、管理記録に記録しました。
msg-annotations-none = 印を付けたイベントにはすべて既に付いています：追加はありません。
msg-annotations-saved = { $count ->
    [1] 注記1件を保存し、管理記録に記録しました。
   *[other] 注記{ $count }件を保存し、それぞれ管理記録に記録しました。
}
msg-report-text-saved = 保存しました。管理記録に記録されています。
msg-view-saved = ビュー「{ $name }」を保存しました。管理記録に記録されています。
msg-view-replaced = ビュー「{ $name }」を置き換えました。管理記録に記録されています。
msg-view-deleted = ビュー「{ $name }」を削除しました。管理記録に記録されています。
msg-signing-key = 署名鍵：{ $fingerprint }（Ed25519）
msg-no-signing-key = 署名鍵がありません：このアプリが書き込む記録には署名が付きません。
msg-csv-written = CSVを書き出しました：{ $path }

## バックグラウンド処理（ステータスバーに出る名前）

job-opening = { $path } を開いています
job-building-sample = サンプルケースを作成中（初回のみ）
job-reading-file = ファイルを読み込み中
job-importing = { $files }を取り込み中
job-dropped = ドロップされたファイル
job-custody = 管理記録
job-verifying = 管理記録を検証中
job-exporting = { $format } をエクスポート中
job-report-text = 報告書の文面
job-saving-report-text = 報告書の文面を保存中
job-annotation = 注記
job-annotations = 注記（複数）
job-settings = 設定
job-saved-views = 保存したビュー
job-saving-view = ビューを保存中

## 処理の段階（進行状況バー）

stage-import = 取り込み
stage-export = エクスポート
stage-report = 報告書
stage-verify-events = イベントの検証

## ファイルダイアログ

dialog-case-files = Retrace ケース
dialog-import-files = ログと名簿
dialog-all-files = すべてのファイル
dialog-identifier-lists = 識別子の一覧
dialog-export-title = 新しいフォルダにエクスポート
