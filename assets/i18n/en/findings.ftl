## The findings window

findings-severity-info = info
findings-severity-low = low
findings-severity-medium = medium
findings-severity-high = high
findings-status-open = open
findings-status-confirmed = confirmed
findings-status-dismissed = dismissed
