## 管理記録のウィンドウと注記の操作

custody-title = 管理記録
custody-intro = 取り込み・エクスポート・注記・報告書の編集・承認のすべてを、ハッシュで連鎖させて記録しています（時刻は { $zone }）。
custody-reload = 再読み込み
custody-verify = 連鎖を検証
custody-verify-tip = ハッシュの連鎖とすべての署名を確かめ、ケースのソース・判断・パラメータ・報告書の文面・注記を、それぞれを記録した項目と照合します（retrace verify の管理記録の検査）
custody-verifying = 検証中…
custody-not-verified = 検証できません：{ $error }
custody-verified = 検証済み：{ $entries }件 — 連鎖は完全、署名あり { $signed }件（鍵 { $keys }個）、署名なし { $unsigned }件。すべての記録が項目と一致します。
custody-problems = 検証に失敗：{ $entries }件中 { $problems }件の問題
custody-grown = 記録は現在 { $entries }件です。もう一度検証してください。
custody-entries = { $entries }件（新しい順、時刻は { $zone }）
custody-details = 詳細
custody-signed-by = 鍵 { $key } による署名：{ $signature }
custody-unsigned = 署名なし
custody-what-import = { $file }（{ $kind }）を取り込み：{ $read }行を読み、{ $imported }件を取り込み、{ $rejected }件を不採用
custody-what-export = { $events }件のイベントを { $format } 形式でフォルダ { $folder } に書き出し（秘匿処理 { $redaction }）
custody-what-annotate-event = イベント { $id } に { $kind }：{ $text }
custody-what-annotate-range = 時間範囲に { $kind }：{ $text }
custody-what-report-text = 報告書の文面 { $section }（{ $lang }）：{ $chars }文字

annotate-title = 注記
annotate-event = イベント { $id }
annotate-range = 範囲 { $from } — { $to }
annotate-nothing = イベントを選ぶか、Shift を押しながらドラッグして範囲を選んでください
annotate-review = 閲覧専用で開いています：注記は追加できません。
annotate-star = ★ 星印
annotate-tag-hint = タグ
annotate-add-tag = タグを追加
annotate-note-hint = メモ
annotate-add-note = メモを追加
annotate-tag-mark = タグ：{ $text }
annotate-note-mark = メモ：{ $text }
