## 絞り込み条件のチップ、表の列による絞り込み、名前のないレーングループ、画面に示す検索式の
## 誤り。値（名前、ID、入力された文字列）はデータのまま示す。

chip-person = 担当者：{ $name }
chip-organization = 組織：{ $name }
chip-actor-country = 操作者の国：{ $country }
chip-system = システム：{ $name }
chip-storage-country = 保存国：{ $country }
chip-category = データ項目：{ $name }
chip-action = 操作：{ $action }
chip-outcome = 結果：{ $outcome }
chip-text = 文字列：「{ $text }」
chip-events = { $label }（{ $events }）
chip-query = 検索式：{ $query }
chip-tag = タグ：{ $tag }
chip-starred = ★ 星印付き
chip-column-contains = { $column }が「{ $value }」を含む
chip-column-equals = { $column }が「{ $value }」に一致
chip-column-not = { $column }が「{ $value }」を含まない
# 時刻を含む検索式には、時刻を読んだタイムゾーンを添える。
query-times-in = { $query }（時刻は { $zone }）

## 表の列による絞り込み：列と比べ方

filter-col-person = 担当者
filter-col-organization = 組織
filter-col-account = アカウント
filter-col-system = システム
filter-col-storage-country = 保存国
filter-col-action = 操作
filter-col-object = 対象
filter-col-outcome = 結果
filter-col-ticket = チケット
filter-col-source-ip = 接続元IP
filter-col-source-file = ソースファイル
filter-op-contains = を含む
filter-op-equals = に一致
filter-op-not = を含まない

## レーングループ

group-unattributed = 担当者不明のアカウント
group-no-organization = （組織なし）

## 検索式の誤り：位置と内容

query-error-at = { $column }文字目：{ $message }
query-err-empty-phrase = 空の語句 "" です
query-err-unclosed-phrase = この語句を閉じる '"' がありません
query-err-empty-regex = 空の正規表現 // です
query-err-in-regex = 正規表現の誤り：{ $detail }
query-err-unclosed-regex = この正規表現を閉じる '/' がありません
query-err-time-bracket = 'time:' の後には '[' が必要です（time:[開始 終了]）
query-err-unknown-field = 不明な項目 "{ $name }" です（項目：{ $fields }）。':' を含む文字列を検索するには引用符で囲んでください
query-err-value-after = '{ $name }:' の後に値が必要です
query-err-empty = 検索式が空です
query-err-unmatched-close = 対応する '(' のない ')' があります
query-err-unexpected = 余分な文字列があります
query-err-too-deep = 検索式の入れ子が深すぎます
query-err-term-at-end = 検索式の末尾に条件が必要です
query-err-close-paren = { $open }文字目の '(' を閉じる ')' が必要です
query-err-term-before-operator = この演算子の前に条件が必要です
query-err-brackets = '[' と ']' は time:[開始 終了] にだけ使えます。角括弧を含む文字列は引用符で囲んでください
query-err-term = 条件が必要です
query-err-time-close = time:[開始 終了] を閉じる ']' が必要です
query-err-time-order = time:[開始 終了] の終了が開始より後ではありません
query-err-time-expected = time:[開始 終了] には時刻（例：2021-02-24、"2021-02-24 10:00"）または * を書いてください
query-err-not-a-time = { $text } は時刻として読めません：{ $detail }

## 正規表現そのものの誤り（「正規表現の誤り：」の後）

regex-err-too-deep = 正規表現の入れ子が深すぎます
regex-err-nothing-to-repeat = 繰り返す対象がありません
regex-err-bad-repetition = 繰り返しの指定 {"{"}{ $body }{"}"} が不正です（上限 { $max }）
regex-err-unexpected-end = 途中で終わっています
regex-err-unsupported-group = 使えるのは (?:...) と先頭の (?i) だけです
regex-err-close-expected = ')' が必要です
regex-err-trailing-backslash = 末尾に '\' があります
regex-err-unsupported-escape = エスケープ \{ $char } には対応していません
regex-err-unclosed-class = この [ を閉じる ']' がありません
regex-err-negated-class = [...] の中の否定クラスには対応していません
regex-err-class-ends-range = クラスは範囲の終わりにできません
regex-err-backwards-range = 範囲 { $lo }-{ $hi } が逆順です
regex-err-too-large = 正規表現が大きすぎます
regex-err-unmatched-close = 対応する '(' のない ')' があります
