## 作業画面：ペインの見出し、お知らせ、ステータスバー、開始画面、名前の入力

desk-side-collapse = サイドパネルを畳む
desk-side-show = サイドパネルを表示：ケース、絞り込み、担当者、ソース
desk-detail-collapse = 詳細ペインを畳む
desk-detail-show = 詳細ペインを表示：選択したイベントとその注記
desk-error = エラー：
desk-note = お知らせ：
desk-dismiss = 閉じる
desk-cancel = 中止
desk-status-counts = { $events }・{ $rejects }・{ $sources }
desk-status-zone = 時刻は{ $zone }
desk-status-review = 閲覧専用で開いています：読み取り専用
desk-status-frame = 描画 { $ms } ms
desk-status-query = { $frame }・検索 { $ms } ms
desk-welcome-tagline = 誰が、どの個人データを、いつ見たか。
desk-welcome-open = ケースを開く…
desk-welcome-sample = サンプルケースを開く
desk-investigator = 調査担当者：
desk-investigator-change = 変更…
desk-investigator-change-tip = 別の名前を入力する（この端末で一度だけ尋ねます）
desk-investigator-ask = ケースの管理記録に残すあなたの名前（この端末で一度だけ尋ねます）：
desk-investigator-hint = 調査担当者の名前
desk-investigator-remember = この端末に記憶する
desk-investigator-use = この名前を使う
