"""Practice chats (陪练): playing a scripted, branching shopper and scoring every reply.

`scoring` judges one reply against its node (key points, order, time, the rule book) and picks
the branch; `runs` starts, advances, abandons and resumes runs (the server keeps the clock);
`history` answers the learner's and the trainer's pages; `requirements` tells whether a learner
holds a medal a go-live rule, a tier or an assignment asks for. Finishing a run publishes
`events.practice_run_finished`, to which certification and tiers react (lms/domain/reactions.py).
"""
