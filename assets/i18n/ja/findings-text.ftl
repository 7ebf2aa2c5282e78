## 所見：ルール名・見出し・説明

findings-rule-cross-border = 越境アクセス
findings-rule-outside-approval = 承認外のアクセス
findings-rule-unsupervised = 監督者不在のアクセス
findings-rule-after-revocation = 権限取消し後のアクセス
findings-rule-off-hours = 時間外のアクセス
findings-rule-bulk = 大量アクセス
findings-rule-new-reach = 初めてのアクセス先
findings-rule-coverage-gap = 記録の欠落
findings-cross-border-context = 参考：個人情報保護法第28条は、外国にある第三者への個人データの提供に、原則として本人の事前の同意を求めています。個人情報保護委員会は、海外からデータにアクセスできる状態にすることをこれに当たる場合として扱っています。GDPR第5章（第44条〜第50条）は、リモートアクセスを含む第三国への個人データの移転を規律しています。この所見は国境を越えたアクセスの事実を記録するものであり、適法かどうかは委員会が判断します。
findings-cross-border-title = { $who }（勤務国：{ $home }）が { $stored } に保存されたデータにアクセス（{ $systems }）
findings-cross-border-explanation = { $who } の勤務国は { $home } です（担当者名簿）。{ $systems } はデータを { $stored } に保存しています（システム名簿）。このセッションの { $count } 件のアクセスイベントが、{ $home } からそのデータに到達しました。{ findings-cross-border-context }
findings-gap-title = { $file }：{ $hours } 時間イベントなし
findings-gap-explanation = アクセスログ { $file } には { $from } から { $to }（UTC）までイベントがありません。空白は { $hours } 時間で、{ $threshold } 時間（coverage_gap.min_hours と、coverage_gap.factor × そのログの沈黙時間の99パーセンタイル、の大きい方）を超えると欠落とみなします。この期間のアクセスはどの件数にも現れず、この期間にかかる件数は下限です。根拠：直前の最後のイベントと直後の最初のイベント。
findings-retention-title = { $file }：保存されていない（申告）
findings-retention-explanation = 調査担当者の申告によれば、{ $file } は { $from } から { $to }（UTC）まで保存されていません。この期間の不在はログの欠落ではありませんが、どの件数にもこの期間のアクセスは含まれません。
findings-unsupervised-title = { $who }：{ $systems } のセッションに { $overseers } による監督なし
findings-unsupervised-explanation = セッション { $from } – { $to }（UTC）は { $tickets } の承認の範囲内で、その承認は { $overseers } を監督者としています。監督者には、セッション開始の { $minutes } 分前から終了の { $minutes } 分後まで、同じシステムへのアクセスイベントがありません。

findings-group-status-part = { $status } { $count }件
