## ルールのパラメータ：各パラメータの意味（所見ウィンドウの編集欄、報告書の方法の節）

param-cross-border-ip-countries-description = "CIDR=CC" の一覧（IPv4 または IPv6。例："10.86.0.0/16=CN"）。担当者名簿に担当者がいないアカウント、または担当者に勤務国がないアカウントについて、イベントの送信元IPを含む最も詳細なCIDRの国を行為者の国とする（空の場合、そのようなアカウントは判定しない）
param-session-gap-minutes-description = 担当者の次のアクセスが直前のアクセスからこの分数以上後に来ると、セッションが終わる（すべてのルールはセッション単位で判定する）
param-outside-approval-scope-description = "approval_holders"：承認を一つ以上持つ者のみ。"everyone"：名簿の全員
param-unsupervised-window-minutes-description = 監督者は、セッション開始のこの分数前から終了のこの分数後までに、同じシステムで活動していなければならない
param-off-hours-start-hour-description = 勤務時間が始まる現地時刻（0～23時、担当者自身のタイムゾーン）
param-off-hours-end-hour-description = 勤務時間が終わる現地時刻（1～24時、この時刻を含まない）
param-off-hours-weekends-description = true：土曜日と日曜日（現地）は終日勤務時間外とする
param-bulk-max-records-description = この件数以上のレコードに触れたセッションを大量アクセスとする
param-bulk-norm-factor-description = レコード数が担当者の95パーセンタイルのセッションのこの倍数を超えるセッションも大量アクセスとする
param-bulk-min-records-description = 基準値との比較は、この件数以上のレコードのセッションにのみ適用する
param-bulk-min-sessions-description = 基準値との比較は、この数以上のセッションがある担当者にのみ適用する
param-new-reach-baseline-days-description = 担当者の最初のアクセスからこの日数以内に初めて触れたシステムと区分は、その担当者の基準範囲とする
param-coverage-gap-min-hours-description = 欠落とは、ソースのイベントが一つもないUTCの整時間がこの時間数以上続くことをいう
param-coverage-gap-factor-description = かつ、そのソースの空白時間の99パーセンタイル（そのソースにとって通常の長さ）のこの倍数以上であること
