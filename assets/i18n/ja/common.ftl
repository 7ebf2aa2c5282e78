# 単位つきの数。日本語には単複の別がなく、助数詞を使う。

count-events = { $count }件
count-access-events = { $count }件のアクセス
count-evidence-events = { $count }件の根拠イベント
count-records = { $count }件のレコード
count-entries = { $count }件
count-custody-entries = { $count }件の記録
count-rows = { $count }行
count-rejects = { $count }件の不採用行
count-findings = { $count }件の所見
count-subjects = { $count }人
count-data-subjects = { $count }人の本人
count-distinct-subjects = { $count }人（重複なし）
count-persons = { $count }人
count-people = { $count }人
count-accounts = { $count }アカウント
count-times = { $count }回
count-systems = { $count }システム
count-sources = { $count }ソース
count-access-sources = { $count }アクセスログ
count-sessions = { $count }セッション
count-days = { $count }日
count-approvals = { $count }件の承認
count-files = { $count }ファイル
count-categories = { $count }項目
count-refused-attempts = { $count }件の拒否された試行
count-problems = { $count }件の問題
count-milestones = { $count }件のマイルストーン
count-lanes = { $count }レーン
count-keys = { $count }キー
count-items = { $count }項目
count-groups = { $count }グループ
count-filter-terms = { $count }個の条件
count-characters = { $count }文字
count-organizations = { $count }組織
count-annotations = { $count }件の注記

## 言語と言語の切り替え
language = 言語
language-switch-tip = アプリの表示言語（次回も使われます）。報告書の言語はエクスポート画面で選びます。
list-separator = 、

## 取込元の種類
source-kind-access = アクセスログ
source-kind-people = 人物名簿
source-kind-accounts = アカウント名簿
source-kind-systems = システム一覧
source-kind-approvals = 承認記録
source-kind-milestones = マイルストーン
source-kind-subjects = 本人名簿

## 区切りごとに進む集計（イベント自体でしか判定できない絞り込み）

counting-progress = 集計中… 表示範囲の{ $percent }%
counting-stop = 中止
counting-stopped = 表示範囲の{ $percent }%で中止
counting-again = 再集計
