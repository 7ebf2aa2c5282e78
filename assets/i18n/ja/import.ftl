## 取り込みウィンドウ。ファイルの読み取りから来る詳細（ファイルと行を挙げた理由）は、
## ウィンドウ自身の文言の後にそのまま表示する。

import-title = ファイルの取り込み
import-add-files = ファイルを追加…
import-or-path = またはパス：
import-add-path = パスを追加
import-files = ファイル：
import-preview-of-selected = 選択したファイルのプレビュー
import-start = { $files }を取り込む
import-cancel = 中止
import-reading = ファイルを読み込み中…
import-preview-error = 読み込めませんでした：{ $error }
import-not-read = 読み取らない列：{ $columns }
import-mapping = 列の対応付け（見出しから推定。どの項目も変更可）：
import-roster-mapping = { $kind }の列の対応付け（見出しから推定。どの項目も変更可）：
import-required-field = { $field } ＊
import-required-missing = 必須で未対応：{ $fields }（それぞれ列を選択）
import-none = —（なし）

import-zone-default = 既定：{ $zone }
import-zone-default-choice = 既定（{ $zone }）
import-zone = ソースのタイムゾーン：{ $zone }
import-read-as = 読み取り種別
import-detected-kind = 検出：{ $kind }
import-detect-from-header = 見出しから検出

import-plan-kind = 種別
import-plan-format = 形式
import-plan-detection = 判定
import-plan-encoding = 文字コード
import-plan-size = サイズ
import-plan-time-rule = 時刻の読み方
import-plan-unmapped = 対応付けのない項目
import-size-bytes = { $bytes } バイト
import-encoding = { $encoding }（{ $how }）

import-first-rows = 先頭 { $rows }の読み取り結果（時刻は { $zone }）：
import-first-roster-rows = 先頭 { $rows }の読み取り結果：
import-would-reject = 先頭の読み取りで不採用となる行：{ $rows }
import-line = { $line }行目：{ $text }

import-col-line = 行
import-col-time = 時刻
import-col-raw = 元の時刻
import-col-account = アカウント
import-col-system = システム
import-col-action = 操作
import-col-object = 対象
import-col-categories = データ項目
import-col-outcome = 結果

import-result = 結果
import-result-row = { $file }：読み取り { $rows }、取り込み { $imported }件、不採用 { $rejected }件
import-result-not-read = { $file }：読み取らない列：{ $columns }
import-result-note = { $file }：注記：{ $note }
import-rejected-show = { $file } の不採用行 { $count }件 — 表示
import-rejected-show-tip = このファイルの不採用行を不採用行ビューアで開く
import-rejects-of = { $file } の不採用行（先頭 { $count }件）
import-not-imported = { $file }：取り込めませんでした：{ $error }
import-again = { $file } をもう一度取り込む
import-again-tip = 同じバイト列を新しいソースとしてもう一度取り込み、管理記録に別の記録を残す。以前のソースはそのまま残る


## 読み取り種別（`SourceKind`）と列の対応付けの項目。識別子を括弧内に添える。

import-kind-access = アクセスログ（access）
import-kind-people = 担当者名簿（people）
import-kind-accounts = アカウント名簿（accounts）
import-kind-systems = システム名簿（systems）
import-kind-approvals = 承認名簿（approvals）
import-kind-milestones = 節目の一覧（milestones）
import-kind-subjects = 本人名簿（subjects）

import-field-time = 時刻（time）
import-field-account = アカウント（account）
import-field-src_ip = 接続元IP（src_ip）
import-field-system = システム（system）
import-field-action = 操作（action）
import-field-object = 対象（object）
import-field-categories = データ項目（categories）
import-field-subjects = 本人（subjects）
import-field-records = 件数（records）
import-field-outcome = 結果（outcome）
import-field-session = セッション（session）
import-field-ticket = 申請番号（ticket）
import-field-person_id = 担当者ID（person_id）
import-field-display_name = 表示名（display_name）
import-field-native_name = 現地表記の氏名（native_name）
import-field-organization = 組織（organization）
import-field-country = 国・地域（country）
import-field-role = 役割（role）
import-field-zone = タイムゾーン（zone）
import-field-note = 備考（note）
import-field-description = 説明（description）
import-field-valid_from = 有効期間の開始（valid_from）
import-field-valid_to = 有効期間の終了（valid_to）
import-field-approver = 承認者（approver）
import-field-overseer = 監督者（overseer）
import-field-at = 日時（at）
import-field-label = 名称（label）
import-field-kind = 種別（kind）
import-field-scope = 範囲（scope）
import-field-subject_id = 本人ID（subject_id）
import-field-phone = 電話番号（phone）
import-field-email = メールアドレス（email）

## ファイルの読み方の説明

import-detection-declared = 指定
import-detection = 検出（確度 { $percent }%）
import-detection-next = 検出（確度 { $percent }%）。次点：{ $others }
import-encoding-declared = 指定
import-encoding-bom = BOM
import-encoding-detected = 検出
import-encoding-nul-pattern = NULバイトの並びから判定
import-zone-how-declared = 指定
import-zone-how-profile = マッピングプロファイルによる
import-zone-how-default = 既定：タイムゾーンの指定なし
import-time-rule = テキスト中のオフセットとZはそのまま用いる。オフセットのない時刻は { $zone }（{ $how }）で読む。夏時間の重複時刻は早い方の時刻とし、印を付ける。夏時間で存在しない時刻は直前のオフセットを用い、印を付ける
import-time-rule-format = 。書式 { $format }
import-time-rule-parquet = UTCに調整されたParquetのTIMESTAMP列とINT96列はUTCの時刻として読む。UTCに調整されていないTIMESTAMP列、DATE列、オフセットのない時刻テキストは { $zone }（{ $how }）で読む。テキスト中のオフセットとZはそのまま用いる
import-time-rule-syslog = 。RFC 3164 の行には年がない。最初の行を { $year }年（{ $how }）とし、月が6か月以上戻るたび（12月→1月）に年を1つ進める。こうしたイベントには year-inferred の印を付ける
import-year-declared = --year で指定
import-year-default = 既定：今年。--year の指定なし
import-unmapped-original = 表示・検索の際に保存された原本から読む（--extra-fields stored で event_extra にコピー）
import-unmapped-stored = event_extra に保存

## 進捗バーの段階

import-stage-import = 取り込み
