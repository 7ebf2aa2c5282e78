## 所見の画面

findings-severity-info = 情報
findings-severity-low = 低
findings-severity-medium = 中
findings-severity-high = 高
findings-status-open = 未判断
findings-status-confirmed = 確認済み
findings-status-dismissed = 却下
findings-title = 所見
findings-select-hint = 所見を選ぶと、その根拠を確認して判断できます。
findings-abroad = 国外からアクセスされた本人のデータ
findings-abroad-none = 本人のデータに触れた越境アクセスはありません。
findings-abroad-row = { $country }の本人：{ $subjects }（{ $events }、{ $from }から{ $stored }に保存されたデータへ）；{ $categories }
findings-params = パラメータ（ケースに保存。変更するとルールを再実行します）
findings-params-name-first = パラメータを変更するには、まず名前を入力してください（上、所見を選んだ状態で）。誰が変更したかを管理記録に残します。
findings-lower-bound = 収集の欠落または保存されていない期間がこの所見と重なっています。数は最小値です。
findings-key = キー：{ $key }
findings-show-evidence = { $events }をタイムラインに表示
findings-status-by = 判断：{ $status }（{ $author }、{ $at }）{ $note }
findings-status-is-open = 判断：未判断
findings-note = 注記：
findings-note-hint = 理由：根拠としたもの、確認した相手
findings-review-only = 閲覧用に開いています：判断は記録できません
findings-name-first = まず上で名前を入力してください。誰が判断したかを管理記録に残します
findings-confirm = 確認
findings-dismiss = 却下
findings-reopen = 未判断に戻す
findings-apply = 適用
findings-default = 既定値
findings-default-tip = 既定値：{ $value }
findings-over = { $events }中{ $findings }
findings-took = （ルールの実行に{ $seconds }秒）
findings-not-run = ルールはまだ実行されていません。
findings-running = ルールを実行中…
findings-rerun = 再実行
findings-times-in = 時刻は{ $zone }
findings-all = すべて（{ $count }）
findings-any = すべて
findings-filter-label = { $name }：
findings-filter-severity = 重要度
findings-filter-person = 担当者
findings-filter-organization = 組織
findings-filter-system = システム
findings-filter-storage-country = 保存国
findings-filter-status = 判断
findings-clear-filters = 絞り込みを解除
findings-follow-chips = 絞り込みのチップに従う
findings-follow-chips-tip = タイムラインで絞り込んだ担当者・組織・システム・保存国に合う所見だけを表示します
findings-group = まとめる
findings-group-tip = ルール×担当者（または組織）×システムごとに1行、件数つき
findings-by-person = 担当者ごと
findings-by-organization = 組織ごと
findings-following = 。チップに従う：{ $chips }
findings-groups-shown = { $groups }（{ $findings }）を表示（全{ $total }件）{ $following }
findings-shown = { $findings }のうち{ $shown }件を表示{ $following }
findings-sort-tip = この列で並べ替えます。もう一度クリックで逆順
findings-col-severity = 重要度
findings-col-rule = ルール
findings-col-who = 対象
findings-col-systems = システム
findings-col-when = 日時
findings-col-count = 件数
findings-col-status = 判断
findings-col-findings = 所見
findings-col-events = イベント
findings-col-subjects = 本人
findings-group-tip-row = グループ { $key }：クリックで所見を一覧表示
findings-group-empty = この絞り込みでは、開いているグループに所見がありません。
findings-group-summary = { $findings }、{ $events }、対象となった{ $subjects }{ $at_least ->
    [yes] （最小値：収集の欠落と重なります）
   *[no] {""}
}；{ $from } – { $to }（{ $zone }）
findings-group-subjects-unknown = …人の本人
findings-group-status = 判断：{ $status }
findings-dismissed-because = 却下の理由：{ $note }
findings-group-key = グループのキー：{ $key }
findings-group-show-evidence = グループの{ $events }をタイムラインに表示
findings-group-note = グループの注記：
findings-group-note-hint = 理由。例：想定内（東京の担当者による韓国の画像ストアの運用）
findings-group-decide = グループの{ $count ->
    [one] 所見1件
   *[other] 所見{ $count }件すべて
}を{ $verb ->
    [confirm] 確認
    [dismiss] 却下
   *[reopen] 未判断に戻す
}
findings-group-decide-tip = 所見ごとに一つの判断を記録し、管理記録にはグループを名指しする1件を残します
findings-group-dismiss-needs-note = グループの却下には注記が必要です：これらの所見が想定内である理由

## 所見の絞り込みの説明
findings-described-rule = ルール：{ $values }
findings-described-severity = 重要度：{ $values }
findings-described-person = 担当者：{ $values }
findings-described-organization = 組織：{ $values }
findings-described-system = システム：{ $values }
findings-described-storage-country = 保存国：{ $values }
findings-described-status = 判断：{ $values }
findings-described-or = {"・"}
findings-described-and = 、
findings-described-all = すべての所見
