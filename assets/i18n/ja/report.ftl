# 報告書の定型文（src/ops/report）。案件のデータは両言語で同じで、異なるのはこの文言のみ。

report-title = 個人データへのアクセスに関する報告書
report-ppc-heading = 個人情報保護委員会への漏えい等報告の事項
report-gdpr-heading = 個人データ侵害の通知（GDPR第33条）
report-case = 案件
report-generated = 作成日時
report-investigator = 調査担当者
report-display-zone = 表示タイムゾーン
report-scope = 対象範囲
report-redaction = マスキング
report-tool = ツール
report-outline = 1. 概要
report-items = 2. 漏えい等が発生し、又は発生したおそれがある個人データの項目
report-persons = 3. 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数
report-cause = 4. 原因
report-secondary = 5. 二次被害又はそのおそれの有無及びその内容
report-response = 6. 本人への対応の実施状況
report-announcement = 7. 公表の実施状況
report-prevention = 8. 再発防止のための措置
report-other = 9. その他参考となる事項
report-gdpr-nature = (a) 侵害の性質（データ主体及び記録の種類とおおよその数）
report-gdpr-contact = (b) 連絡先（データ保護責任者）
report-gdpr-consequences = (c) 想定される結果
report-gdpr-measures = (d) 講じた又は講じる予定の措置
report-from-case = 案件データより
report-narrative-missing = 未記入です。アプリの「エクスポート → 報告書の文章」で入力してください。
report-category = データ項目
report-recorded-rule = 記録された読込規則
report-zone-declared = 指定
report-zone-profile = マッピングプロファイルによる
report-zone-default = 既定値：タイムゾーンの指定なし
report-zone-recorded = 記録のとおり
report-event-missing = 本案件にありません
report-access-events = アクセス（イベント数）
report-refused = 拒否された試行
report-subjects = 本人の数（重複なし）
report-country = 本人の国・地域
report-unknown-country = （不明）
report-total = 合計
report-at-least = 少なくとも
report-coverage-note = 件数は本案件に取り込んだアクセスログに基づき、ログが存在する期間のみを対象とします。ログの欠落がある場合、実際の数はこれを上回る可能性があります（「少なくとも」）。
report-findings = 調査結果（検出事項）
report-findings-none = この対象範囲ではルールに該当する事項はありません。
report-findings-unit = 件数（検出事項）
report-finding = 検出事項
report-rule = ルール
report-definition = 定義
report-count = 件数
report-disposition = 判断
report-severity = 重大度
report-persons-col = 人物
report-period = 期間
report-timeline = アクセスの時系列
report-timeline-note = 月ごと・組織ごとのアクセス数。赤線はマイルストーン。月は表示タイムゾーンによる。
report-by-country-chart = 国・地域別の本人数
report-actors = データにアクセスした人物・アカウント
report-person = 人物
report-organization = 組織
report-actor-country = 勤務国
report-first = 初回
report-last = 最終
report-systems = システム
report-system = システム
report-storage-country = 保存国
report-annotations = 調査担当者の注記
report-no-annotations = 注記はありません。
report-target = 対象
report-kind = 種別
report-text = 内容
report-author = 記入者
report-at = 日時
report-appendix = 付録A. 人物別の時系列
report-appendix-note = イベントのあった日ごとに1行（日付は表示タイムゾーン）。
report-date = 日付
report-methodology = 付録B. 調査方法
report-sources = 取込元ファイル
report-file = ファイル
report-format = 形式
report-zone = タイムゾーン
report-rows-read = 読込行数
report-rows-imported = 取込件数
report-rows-rejected = 除外件数
report-rejects-heading = これらの件数に影響し得る除外行
report-rejects-place = ファイル:行
report-rejects-reason = 除外の理由
report-rejects-mentions = 記載されている既知のアカウント・人物・本人
report-rejects-incomplete = 除外行が100,000行を超えるため、すべての行は照合されていません。
report-kind-src = 種類
report-definitions = 定義
report-def-access = アクセスとは結果が拒否・失敗でないイベントをいいます。拒否された試行は別に数えます。アクセスのあったイベントが対象とした本人を影響を受けた本人とします。
report-rule-params = ルールのパラメータ
report-custody-head = 証拠保全ログの先頭ハッシュ（SHA-256連鎖）
report-custody-signature = 証拠保全ログ先頭の署名（Ed25519）
report-unsigned = 署名なし
report-case-id = 案件ID
report-event-id = イベント
report-range = 期間
report-no-events = 対象範囲にイベントはありません。
report-groups-unit = グループ数
report-groups-heading = グループ別の検出事項
report-groups-note = 規則・人物・システムごとに1行とし、同じ型の検出事項をまとめて、検出事項の件数、根拠イベント数（重複なし）、それらのイベントが触れたデータ主体数（アクセスのみ、重複なし）、期間及び調査担当者の判断を示す。
report-systems-col = システム
report-evidence-events-col = 根拠イベント数
report-subjects-reached-col = 該当データ主体数
report-dismissed-heading = 対象外と判断したグループとその理由
report-reason = 理由
report-no-reason = （理由の記録なし）
report-each-finding = 個別の検出事項
report-basis = 計数の基準
report-basis-note = 上記の人数は、対象範囲のアクセスイベント（通常業務のアクセスを含み、拒否された試行を除く）が触れたすべてのデータ主体を数えたものである。下記はより狭い基準で、検出事項の根拠イベントが触れたデータ主体の数である。
report-basis-any-access = 対象範囲のいずれかのアクセスイベントが触れたもの（通常業務のアクセスを含む）
report-basis-not-dismissed = 対象外と判断されていない検出事項の根拠イベントが触れたもの
report-basis-confirmed = 確認済みの検出事項の根拠イベントが触れたもの

## 単位付きの数

report-count-events = { $count }件（イベント）
report-count-entries = { $count }件
report-count-subjects = { $count }人（重複なしの本人数）
report-count-actors = { $count }件（人物・アカウント）
report-count-evidence-events = { $count }件の根拠イベント
report-count-findings = { $count }件の検出事項

## 除外行（$command はコマンドライン）

report-rejects-note = { $count } 行のアクセスログは取込時に読み取れず（存在しない日付、空の時刻など）、上記のどの件数にも含まれていませんが、いずれもアクセスを記録している可能性があります。したがって上記の件数は「少なくとも」の値です。各行の内容はコマンド { $command } で確認できます。
report-rejects-more = ほかに { $count } 行の除外行があります。コマンド { $command } で一覧できます。
report-each-finding-elsewhere = 個々の検出事項（キー及び根拠イベントID）は案件の検出事項出力（{ $command }）にあり、本報告書ではグループ単位で示す。
# 除外行に記載されている既知の名前
report-mention-account = アカウント { $text }
report-mention-person = 人物 { $text }
report-mention-subject = 本人 { $text }
report-mention-unmapped = { $mention }（人物に未対応）
report-mention-who = { $mention }（{ $who }）
report-mention-alias = { $mention }（{ $key } の別表記）

## 報告書の対象範囲と表示条件

report-scope-case = 案件全体
report-scope-view = 表示範囲 { $from } ～ { $to }（UTC）。条件：{ $filters }
report-scope-persons = 人物 { $persons }
report-scope-subjects = 指定した本人 { $count }人
report-scope-events = { $label }（{ $count }件のイベント）
report-scope-finding = 検出事項 { $key }：{ $title }（{ $count }件のイベント）
report-filter-person = 人物 { $value }
report-filter-organization = 組織 { $value }
report-filter-actor-country = 勤務国 { $value }
report-filter-system = システム { $value }
report-filter-storage-country = 保存国 { $value }
report-filter-category = データ項目 { $value }
report-filter-action = 操作 { $value }
report-filter-outcome = 結果 { $value }
report-filter-text = 文字列 { $value }
report-filter-events = { $label }（{ $count }件のイベント）
report-filter-query = 検索式 { $value }
report-filter-column = 列 { $column } が { $value } { $op }
report-filter-op-contains = を含む
report-filter-op-equals = に一致
report-filter-op-not = でない
report-filter-tag = タグ { $value }
report-filter-starred = スター付き

## 案件が識別子として保存する値

report-redaction-keep = なし（保存された値のまま）
report-redaction-mask = マスキング
report-redaction-pseudonymise = 仮名化
report-annotation-star = スター
report-annotation-tag = タグ
report-annotation-note = メモ
report-source-format = { $format }（{ $encoding }）
report-custody-signed = 記録 { $entry }、鍵 { $key }：{ $signature }
report-custody-unsigned-entry = 記録 { $entry }：署名なし
report-param = パラメータ
report-param-value = 値
report-param-meaning = 意味

## 取込元の時刻の読み方（調査方法）

report-forms-offset = { $all ->
    [yes] 全{ $count }件
   *[no] { $count }件
}の時刻は自身のUTCオフセット（{ $offsets }）付き
report-forms-epoch = { $all ->
    [yes] 全{ $count }件
   *[no] { $count }件
}はエポック秒（UTC）
report-forms-naive = { $all ->
    [yes] 全{ $count }件
   *[no] { $count }件
}はオフセットがなく、{ $zone }（{ $how }）の時刻として読込
report-forms-zone-unused = タイムゾーン { $zone }（{ $how }）は使用されていません
report-forms-z = Z、UTC
report-forms-other-zone = 文中のタイムゾーン名
report-sep-list = 、
report-sep-clause = 。
report-sentence-end = 。

## 取込時に記録された読込規則（既知の形式は節ごとに訳す）

report-rules-note = 各取込元の読込規則は、取込時に英語で記録された規則を訳して示す。既知の形式に当たらない規則は、記録された原文のまま引用し、その旨を付記する。
report-recorded-rule-as-written = 記録された読込規則（原文のまま引用）
report-rule-offsets-kept = 文中のオフセット及びZはそのまま採用
report-rule-naive = オフセットのない時刻は{ $zone }（{ $how }）の時刻として読込
report-rule-dst-fold = 夏時間の終了で重複する時刻は早い方の時点とし、その旨を記録
report-rule-dst-gap = 夏時間の開始で存在しない時刻は開始前のオフセットを用い、その旨を記録
report-rule-format = 時刻の書式 { $format }
report-rule-parquet-utc = UTCに調整済みのParquet TIMESTAMP列及びINT96列はUTCの時点として読込
report-rule-parquet-naive = UTCに調整されていないTIMESTAMP列、DATE列及びオフセットのない時刻の文字列は{ $zone }（{ $how }）の時刻として読込
report-rule-syslog-year = RFC 3164形式の行には年がないため、最初の行を{ $year }年（{ $how }）とし、月が6か月以上戻るごとに年を1年進める（12月→1月）
report-rule-syslog-flag = 該当するイベントには年を推定した旨を記録
report-rule-year-declared = --year オプションで指定
report-rule-year-default = 既定値：現在の年（--year の指定なし）
# ラベルとその値
report-label-value = { $label }：{ $value }

# 各検出ルールの定義（README と同じ文言）
report-rule-def-cross-border = ある国で勤務する者が、別の国にデータを保存するシステムにアクセスしたセッション。
report-rule-def-outside-approval = 当該者の承認（同じシステム、有効期間内）で説明できないアクセスを含むセッション。
report-rule-def-unsupervised = 承認はあるが、承認で指定された監督者に、セッション前後の時間枠内で同じシステムへの操作がないセッション。
report-rule-def-after-revocation = アクセス権の取消し後に行われたアクセス（拒否された試行は別に数える）。
report-rule-def-off-hours = 当該者の勤務地の時刻で勤務時間外のセッション。
report-rule-def-bulk = 大量の記録に触れたセッション（固定の閾値超、または本人の通常を大きく上回る）。
report-rule-def-new-reach = 基準期間の後に初めて触れたシステム又はデータ項目。
report-rule-def-coverage-gap = アクセスログの通常より著しく長い欠落、又は保存期間外の期間。これと重なる件数は「少なくとも」となる。

## 各事項の出典（案件内のどこによるか）

report-source-narrative = 出典：本案件に保存された調査担当者の記載（報告書の文章 { $section }）。
report-source-events = 出典：本案件のイベントのうち対象範囲のもの（{ $events }）。取込元のアクセスログ { $count }件：{ $files }。
report-source-narrative-missing = 出典：調査担当者の記載（報告書の文章 { $section }）。本案件では未記入。
report-scope-no-start = （始期なし）
report-scope-no-end = （終期なし）
