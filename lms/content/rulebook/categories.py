"""The kinds of rule a rule book may hold: one table entry per category, not an `if` ladder.

Each category says what it protects against, where the rule comes from, and which item of the QC
checklist a hit in it fails (`checklist`, the item's key in lms/domain/qc/checklist.py): a QC lead
reading a transcript sees the item pre-filled from the hits of its categories.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """One kind of rule."""

    name: str
    label: str
    label_zh: str
    checklist: str
    about: str


CATEGORIES: dict[str, Category] = {
    c.name: c
    for c in (
        Category(
            "absolute_term",
            "Absolute terms",
            "极限用语",
            "platform-rule",
            "Superlatives and absolute claims the Advertising Law (art. 9) forbids: 最, 第一, 国家级, 顶级 …",
        ),
        Category(
            "off_platform",
            "Off-platform contact and payment",
            "引导站外交易",
            "platform-rule",
            "Steering a buyer off the platform: WeChat, QQ, phone numbers, links, transfers, private deals.",
        ),
        Category(
            "prohibited_promise",
            "Promises nobody can keep",
            "无法兑现的承诺",
            "platform-rule",
            "Guarantees of delivery times or outcomes the store does not control: 保证, 肯定到, 一定能 …",
        ),
        Category(
            "review_inducement",
            "Paying for reviews",
            "诱导好评",
            "platform-rule",
            "Cash, gifts or coupons for a good review, or for removing a bad one: 好评返现, 晒图返 …",
        ),
        Category(
            "rude",
            "Rude or dismissive wording",
            "服务态度",
            "no-argument",
            "Insults, threats and brush-offs: 爱买不买, 你自己看, 你懂不懂 … (a quarrel is a firing offence).",
        ),
        Category(
            "privacy",
            "Privacy and security",
            "隐私与账户安全",
            "platform-rule",
            "Asking for codes, passwords, card or ID numbers, or giving out another buyer's data.",
        ),
        Category(
            "unauthorised_discount",
            "Private discounts",
            "私自改价",
            "value-talk",
            "Agents do not change prices: private discounts, 'inside' prices, 'I'll charge you less'.",
        ),
        Category(
            "false_claim",
            "Wrong facts",
            "不实说法",
            "product-facts",
            "Claims the store knows are false: waterproof for water-repellent, lifetime warranty, TSA locks opened by customs.",
        ),
        Category(
            "disparagement",
            "Running down other stores",
            "贬低同行",
            "platform-rule",
            "Calling other stores' goods fake or bad (Advertising Law art. 13); compare our own facts instead.",
        ),
    )
}

SEVERITIES = ("block", "warn")
