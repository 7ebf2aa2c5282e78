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
findings-cross-border-explanation = { $who } の勤務国は { $home } です（担当者名簿）。{ $systems } はデータを { $stored } に保存しています（システム名簿）。このセッションの { $count }件のアクセスイベントが、{ $home } からそのデータに到達しました。{ findings-cross-border-context }
findings-gap-title = { $file }：{ $hours }時間イベントなし
findings-gap-explanation = アクセスログ { $file } には { $from } から { $to } までイベントがありません。空白は { $hours }時間で、{ $threshold }時間（coverage_gap.min_hours と、coverage_gap.factor × そのログの沈黙時間の99パーセンタイル、の大きい方）を超えると欠落とみなします。この期間のアクセスはどの件数にも現れず、この期間にかかる件数は下限です。根拠：直前の最後のイベントと直後の最初のイベント。
findings-retention-title = { $file }：保存されていない（申告）
findings-retention-explanation = 調査担当者の申告によれば、{ $file } は { $from } から { $to } まで保存されていません。この期間の不在はログの欠落ではありませんが、どの件数にもこの期間のアクセスは含まれません。
findings-unsupervised-title = { $who }：{ $systems } のセッションに { $overseers } による監督なし
findings-unsupervised-explanation = セッション { $from } – { $to } は { $tickets } の承認の範囲内で、その承認は { $overseers } を監督者としています。監督者には、セッション開始の { $minutes }分前から終了の { $minutes }分後まで、同じシステムへのアクセスイベントがありません。

findings-country-separator = {"、"}
findings-list-separator = {"；"}
findings-category = { $category ->
        [name] 氏名
        [phone] 電話番号
        [email] メールアドレス
        [account_id] アカウントID
        [message_text] メッセージ本文
        [image_media] 画像・動画
        [address] 住所
        [payment] 決済情報
        [location] 位置情報
        [credential] 認証情報
       *[other] { $category }
    }
findings-cross-border-ip-title = アカウント { $account }（送信元IPの国：{ $actor }）が { $stored } に保存されたデータにアクセス（{ $systems }）
findings-cross-border-ip-explanation = アカウント { $account }：{ $sources }。{ $roster ->
        [no_country] このアカウントの担当者 { $person } には担当者名簿に勤務国がありません
       *[no_person] このアカウントに対応する担当者が担当者名簿にありません
    }。{ $systems } はデータを { $stored } に保存しています（システム名簿）。このセッションの { $count }件のアクセスイベントが、{ $actor } からそのデータに到達しました。{ findings-cross-border-context }
findings-cross-border-ip-source = 送信元IP { $ip } から見た行為者の国は { $country }（対応表 { $mapping }）
findings-cross-border-ip-more = ほか送信元IP { $count }件
findings-outside-approval-title = { $who }：承認の範囲外のアクセス { $count }件（{ $systems }）
findings-outside-approval-explanation = セッション（開始 { $start }）のこれら { $count }件のアクセスイベントは、どの承認（承認名簿：この担当者、このシステム、有効期間の開始 ≤ 時刻 ≤ 有効期間の終了）の範囲にも入りません。理由：{ $reason ->
        [other_system] この担当者の承認は有効でしたが、別のシステムに対するものでした
        [none_held] この担当者は承認を一つも持っていません
       *[none_in_force] その時点で有効なこの担当者の承認はありませんでした
    }。対象者：{ $scope ->
        [everyone] 名簿の全員（outside_approval.scope = everyone）
       *[approval_holders] 承認を一つ以上持つ者のみ（outside_approval.scope = approval_holders）
    }。
findings-after-revocation-title = { $who }：「{ $label }」の後のアクセス { $count }件
findings-after-revocation-explanation = マイルストーン「{ $label }」（{ $at }、対象：{ $scope ->
        [all] 全員
       *[other] { $scope }
    }）によりアクセス権限が取り消されました。これらのアクセスイベントはその後のもので、この担当者を対象とする権限付与のマイルストーンがまだない期間に当たります。
findings-refused-after-revocation-title = { $who }：「{ $label }」の後の拒否された試行 { $count }件
findings-refused-after-revocation-explanation = マイルストーン「{ $label }」（{ $at }）の後の、結果が拒否または失敗の試行です。アクセス権限の取消し後もこの担当者が { $systems } に到達しようとしていた証拠ですが、これらの試行によって閲覧されたデータはありません。
findings-off-hours-title = { $who }：勤務時間外のアクセス { $count }件（{ $zone }）
findings-off-hours-explanation = 勤務時間は、担当者自身のタイムゾーン（{ $zone }{ $zone_given ->
        [no] 。担当者名簿にこの担当者のタイムゾーンがないため、UTCを使用
       *[yes] {""}
    }）で{ $weekends ->
        [yes] 月曜日から金曜日の
       *[no] 毎日
    } { $start }:00～{ $end }:00 です。これらのアクセスイベントはその時間外です。
findings-bulk-title = { $who }：{ $systems } の1セッションでレコード { $records }件
findings-bulk-explanation = セッション { $from } – { $to } はレコード { $records }件（各イベントのレコード数の合計）に触れました{ $over_max ->
        [yes] 。これは bulk.max_records = { $max } 以上です
       *[no] {""}
    }{ $over_norm ->
        [yes] 。これは担当者の95パーセンタイルのセッションの bulk.norm_factor = { $factor } 倍を超えます
       *[no] {""}
    }。この担当者のセッション（{ $sessions }件）の95%は、レコード { $norm }件以下です（95パーセンタイル、最近接順位法）。
findings-new-system-title = { $who }：{ $system } への初めてのアクセス
findings-new-system-explanation = この担当者の { $system } への初めてのアクセスです。ケース内での最初のアクセス（{ $first }）から { $days }日後です。最初のアクセスから new_reach.baseline_days = { $baseline }日以内に初めて到達したシステムは、その担当者の基準範囲とみなします。
findings-new-category-title = { $who }：「{ $category }」のデータへの初めてのアクセス
findings-new-category-explanation = 「{ $category }」の区分を含む、この担当者の初めてのアクセスイベントです。ケース内での最初のアクセス（{ $first }）から { $days }日後です。最初のアクセスから new_reach.baseline_days = { $baseline }日以内に初めて到達した区分は、その担当者の基準範囲とみなします。

findings-group-status-part = { $status } { $count }件

## 所見の件数

findings-count-access-events = { $count }件のアクセスイベント
findings-count-refused-attempts = { $count }件の拒否された試行
findings-count-records = { $count }件のレコード
findings-count-distinct-data-subjects = { $count }人（重複なし）
findings-count-hours-without-events = { $count }時間（イベントなし）
findings-count-hours-not-retained = { $count }時間（保存なし）
findings-count-at-least = 少なくとも { $phrase }
