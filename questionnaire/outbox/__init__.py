"""The outbox: e-mails written in the transaction of the change they tell about, and their
delivery. It knows addresses, not accounts, so every feature may write to it (the accounts'
activation and reset links too); what a feature tells people is composed by that feature.
"""
