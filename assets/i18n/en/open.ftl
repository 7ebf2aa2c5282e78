## The open-by-path window and the zone pickers

open-title = Open or create a case
open-path = Case file path:
open-open = Open
open-create = Create new case
open-browse = Browse…
open-browse-new = Browse for a new case…
open-browse-new-tip = The save dialog, where one is available
open-recent = Recent:

zone-recent = Recent:
zone-search = Search zones:
zone-search-hint = e.g. Shanghai
zone-none = No zone matches
zone-count = { $count ->
    [one] { $count } zone
   *[other] { $count } zones
}
