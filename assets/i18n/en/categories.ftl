## The built-in data categories and the outcomes of events, by their identifiers
## (`i18n::category_name`, `i18n::outcome_name`). Custom categories are shown as written.

category-name = name
category-phone = phone
category-email = email
category-account_id = account_id
category-message_text = message_text
category-image_media = image_media
category-address = address
category-payment = payment
category-location = location
category-credential = credential

outcome-success = success
outcome-denied = denied
outcome-failed = failed
outcome-other = other
