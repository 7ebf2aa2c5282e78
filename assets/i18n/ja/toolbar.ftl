## ツールバー

toolbar-open = 開く…
toolbar-open-tip = ケースファイル（.retrace）をファイルダイアログで開く
toolbar-new = 新規…
toolbar-new-tip = 空のケースファイルを作る
toolbar-review = 閲覧専用で開く…
toolbar-review-tip = ケースを読み取り専用で開く：取り込み・エクスポート・注記・報告書の文面は不可
toolbar-by-path = パスで開く…
toolbar-by-path-tip = パスを入力して開く（ファイルダイアログのない環境向け）
toolbar-recent = 最近のケース
toolbar-no-recent = 最近開いたケースはありません
toolbar-import = 取り込み…
toolbar-import-tip = アクセスログや名簿を開いているケースに取り込む：ファイルを選ぶ、パスを入力する、またはウィンドウにドロップする
toolbar-sample = サンプルケース
toolbar-sample-tip = 同梱の架空のサンプルケースを開く（初回に作成）
toolbar-subject = 本人の照会…
toolbar-subject-tip = ある本人のデータを誰が見たか：ID・電話番号・メールアドレスで照会
toolbar-findings = 所見…
toolbar-findings-tip = ルールによる判定結果と、それぞれの根拠となるイベント
toolbar-export = エクスポート…
toolbar-export-tip = イベント（CSV、JSON Lines）または監督当局向け報告書を、マニフェスト付きで書き出す
toolbar-custody = 管理記録…
toolbar-custody-tip = 取り込み・エクスポート・注記・承認を記録した、ハッシュで連鎖したケースの管理記録
toolbar-zone = タイムゾーン：{ $zone }
toolbar-zone-case-default = ケースの既定（{ $zone }）
toolbar-colour-by = 色分け
colour-by-category = データ項目
colour-by-system = システム
colour-by-outcome = 結果
timeline-colour-legend = 色：{ $by }
toolbar-theme-system = システムのテーマ
toolbar-theme-light = ライト
toolbar-theme-dark = ダーク
toolbar-keys = キー操作

## キー操作の説明

keys-zoom = ポインタ／中央を中心に拡大縮小
keys-pan = 移動
keys-select-range = 範囲を選択（表が追従）
keys-step = 次／前のイベント
keys-home = ケース全体を表示
keys-esc = 範囲の選択を解除
