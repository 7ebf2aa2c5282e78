## 所見の画面

findings-severity-info = 情報
findings-severity-low = 低
findings-severity-medium = 中
findings-severity-high = 高
findings-status-open = 未判断
findings-status-confirmed = 確認済み
findings-status-dismissed = 却下
