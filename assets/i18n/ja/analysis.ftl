## 分析結果の表示：時刻の読み取り方、本人の照会

analysis-list-separator = {"；"}
analysis-ts-flag-offset = 文字列中のオフセット
analysis-ts-flag-epoch = エポック秒の数値
analysis-ts-flag-naive = オフセットなし、ソースのタイムゾーンで読み取り
analysis-ts-flag-ambiguous = 曖昧な現地時刻（夏時間の重複）：早い方の時点を採用
analysis-ts-flag-nonexistent = 存在しない現地時刻（夏時間の空白）：空白前のオフセットを使用
analysis-ts-flag-year-inferred = 年を推定
analysis-ts-flag-date-only = 日付のみ：現地の午前0時とみなす
analysis-ts-flag-leap-second = うるう秒（:60）：その分の :59.999999 として読み取り
analysis-ts-flag-zone-abbreviation = タイムゾーンの略称をオフセットに変換

analysis-subject-unknown-date = 不明
analysis-subject-cover = { $from }～{ $to }（UTCの日付）
analysis-subject-blank = 空の識別子
analysis-subject-none = { $known ->
        [yes] 名簿にある本人
       *[no] 本人の名簿にない識別子
    }。{ $cover }を対象とするソースにアクセスの記録はありません
analysis-subject-found = { $actors }人（担当者またはアカウント）によるアクセスイベント { $events }件{ $refused ->
        [0] {""}
       *[other] 、拒否された試行 { $refused }件
    }（ソースの対象期間：{ $cover }）
analysis-subject-rejected-place = { $place }：{ $reason }
analysis-subject-rejected = 。少なくとも：アクセスログの不採用行 { $rows }件がこの本人に言及しており、集計に含まれていません（{ $places }{ $more ->
        [yes] ；…
       *[no] {""}
    }）{ $form ->
       *[other] {""}
    }

analysis-mention = { $kind ->
        [account] アカウント
        [person] 担当者
       *[subject] 本人
    } { $text }{ $tail }
analysis-mention-separator = {"、"}
analysis-mention-unmapped = （対応する担当者なし）
analysis-mention-of = （{ $of }）
analysis-mention-alias-of = （{ $key } の別名）
