"""The home page of every signed-in person: the reviews they take part in, with what awaits
them (answers to write, requests to reply to, lists to agree to, nominations due).

It reads every feature a person works in, so it sits above them all.
"""
