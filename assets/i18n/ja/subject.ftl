## 本人の照会

subject-title = 本人の照会
subject-intro = 識別子（ユーザーID、電話番号、メールアドレス）を1行に1つ、またはカンマ区切りで入力します。取り込み時と同じく正規化し、電話番号とメールアドレスは本人に結び付けます。
subject-identifiers = 識別子：
subject-look-up = 照会
subject-file = 識別子のファイル：
subject-file-tip = 1行に1つの識別子を書いたテキストまたはCSVファイル
subject-load = 読み込む
subject-browse = 参照…
subject-csv = 照会結果のCSV：
subject-save-csv = CSVを保存
subject-export-csv = CSVを書き出す…
subject-summary = 識別子 { $identifiers }件：アクセスあり { $touched }件、なし { $untouched }件（{ $ms } ミリ秒）
subject-rejected = アクセスログの不採用行 { $count }件がこの本人に言及しています（集計に含まれないため、数は「少なくとも」）：
subject-who = 本人 { $key }（{ $kind }、居住国 { $country }）{ $alias ->
    [yes] 、別名で特定
   *[no] {""}
}
subject-not-in-roster = 本人の名簿にありません
subject-col-event = イベント
subject-col-time = 時刻（{ $zone }）
subject-col-who = 誰が
subject-col-from = どこから（勤務国）
subject-col-system = システム（保存国）
subject-col-categories = データ項目
subject-col-outcome = 結果
subject-select-tip = タイムラインで選択
subject-unmapped = { $account }（対応する担当者のいないアカウント）
