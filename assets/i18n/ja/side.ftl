## サイドパネル：ケース、不採用行、絞り込み、保存したビュー、担当者、ソース

side-case = ケース
side-count-events = イベント
side-count-rejects = 不採用行
side-count-persons = 担当者
side-count-accounts = アカウント
side-count-unattributed = 担当者不明のアカウント
side-count-systems = システム
side-count-subjects = 本人
side-count-milestones = 節目
side-first-event = 最初のイベント { $when }（{ $zone }）
side-last-event = 最後のイベント { $when }（{ $zone }）
side-filters = 絞り込み
side-no-filter = 絞り込みなし：全イベント
side-remove-filter = この絞り込みを外す
side-clear-filters = 絞り込みをすべて外す
side-picker-add = 追加…
side-query = 検索・検索式：
side-query-add = 追加
side-query-error = 検索式の誤り { $error }
side-query-help = 項目：{ $fields }。AND、OR、NOT、( )、"語句"、*、/正規表現/、time:[開始 終了]（{ $zone }）
side-picker-organization = 組織
side-picker-person = 担当者
side-picker-actor-country = 操作者の国
side-picker-system = システム
side-picker-storage = 保存国
side-picker-category = データ項目
side-picker-action = 操作
side-picker-outcome = 結果
side-people = 担当者
side-people-hint = 名前をクリックするとその人に絞り込みます。
side-group-title = { $group }（{ $lanes }）
side-filter-org = この組織に絞り込む
side-lane-account = { $name }（アカウント）
side-lane-accounts = アカウント：{ $accounts }
side-open-person = 担当者のページを開く
side-all-rejects = 不採用行：全{ $count }行 — 表示
side-all-rejects-tip = 取り込みで読めなかった行：ファイル、行番号、理由、元の文字列
side-rejects-mention-people = 既知の担当者に触れる不採用行{ $count }行 — 表示
side-rejects-mention-any = 既知の担当者または本人に触れる不採用行{ $count }行（担当者{ $people }人） — 表示
side-rejects-mention-tip =
    どの集計にも含まれていません：該当者に関する集計は下限値です。
    { $rows }
side-sources = ソース
side-source-head = { $file }（{ $kind }）
side-source-head-rejected = { $file }（{ $kind }、不採用{ $rejected }行）
side-source-rejects = 不採用行{ $count }行 — 表示
side-source-rows-read = 読んだ行
side-source-rows-imported = 取り込んだ行
side-source-rows-rejected = 不採用行
side-source-format = 形式
side-source-encoding = 文字コード
side-source-zone = 読み取り時のタイムゾーン
side-source-time-rule = 時刻の規則
side-source-size = サイズ
side-source-size-bytes = { $bytes }バイト
# same
side-source-sha = SHA-256
side-views = 保存したビュー
side-no-views = 保存したビューはありません
side-view-range = { $from } – { $to }（{ $zone }）
side-view-whole-case = ケース全体
side-view-no-filter = なし
side-view-tip =
    このビューを表示する。絞り込み：{ $filter }
    範囲：{ $range }
    タイムゾーン：{ $zone }、色分け：{ $colour }
    保存者：{ $author }
side-view-delete = 削除
side-view-delete-tip = ビュー「{ $name }」を削除する（管理記録に残ります）
side-view-name = 名前：
side-view-name-hint = ビューの名前
side-view-save = 現在のビューを保存
side-view-save-tip = 絞り込み・範囲・タイムゾーン・色分け・表の列をケースに保存します
