## パスで開くウィンドウとタイムゾーンの選択

open-title = ケースを開く・作る
open-path = ケースファイルのパス：
open-open = 開く
open-create = 新しいケースを作る
open-browse = 参照…
open-browse-new = 新しいケースの保存先を選ぶ…
open-browse-new-tip = 保存ダイアログ（使える環境のみ）
open-recent = 最近のケース：

zone-recent = 最近使ったもの：
zone-search = タイムゾーンを検索：
zone-search-hint = 例：Shanghai
zone-none = 一致するタイムゾーンはありません
zone-count = { $count }件
