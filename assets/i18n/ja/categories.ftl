## 組込みの個人データ項目と、イベントの結果（`i18n::category_name`、`i18n::outcome_name`）。
## 利用者定義の項目は記載のとおり表示する。

category-name = 氏名
category-phone = 電話番号
category-email = メールアドレス
category-account_id = アカウントID
category-message_text = メッセージ本文
category-image_media = 画像・動画
category-address = 住所
category-payment = 決済情報
category-location = 位置情報
category-credential = 認証情報

outcome-success = 成功
outcome-denied = 拒否
outcome-failed = 失敗
outcome-other = その他
