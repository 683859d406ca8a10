"""xAPI: learning records for the company's learning record store (LRS), in xAPI 1.0.3's shape.

Off unless an admin sets `LMS_XAPI_ENDPOINT` (and the store's key and secret). Then the reactions to
the domain's events (a lesson done, an attempt graded) and the issuing of a certificate put statements into
an outbox table inside the learner's transaction — a row, never a network call — and `lms jobs run`
sends them in batches, retrying with backoff. Statement ids are uuid5s of what happened, so
recording twice, sending twice or a store that saw a batch before a timeout never makes a second
statement; a store that is down delays the records and blocks nothing.
"""
