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
    about_zh: str = ""


CATEGORIES: dict[str, Category] = {
    c.name: c
    for c in (
        Category(
            "absolute_term",
            "Absolute terms",
            "极限用语",
            "platform-rule",
            "Superlatives and absolute claims the Advertising Law (art. 9) forbids: 最, 第一, 国家级, 顶级 …",
            "广告法第九条禁止的极限词和绝对化用语：最、第一、国家级、顶级……",
        ),
        Category(
            "off_platform",
            "Off-platform contact and payment",
            "引导站外交易",
            "platform-rule",
            "Steering a buyer off the platform: WeChat, QQ, phone numbers, links, transfers, private deals.",
            "引导顾客离开平台：微信、QQ、手机号、站外链接、转账、私下交易。",
        ),
        Category(
            "prohibited_promise",
            "Promises nobody can keep",
            "无法兑现的承诺",
            "platform-rule",
            "Guarantees of delivery times or outcomes the store does not control: 保证, 肯定到, 一定能 …",
            "对店铺无法掌控的时效或结果作保证：保证、肯定到、一定能……",
        ),
        Category(
            "review_inducement",
            "Paying for reviews",
            "诱导好评",
            "platform-rule",
            "Cash, gifts or coupons for a good review, or for removing a bad one: 好评返现, 晒图返 …",
            "用现金、赠品或优惠券换好评或删差评：好评返现、晒图返……",
        ),
        Category(
            "rude",
            "Rude or dismissive wording",
            "服务态度",
            "no-argument",
            "Insults, threats and brush-offs: 爱买不买, 你自己看, 你懂不懂 … (a quarrel is a firing offence).",
            "辱骂、威胁和敷衍：爱买不买、你自己看、你懂不懂……（与顾客争吵是开除级错误）。",
        ),
        Category(
            "privacy",
            "Privacy and security",
            "隐私与账户安全",
            "platform-rule",
            "Asking for codes, passwords, card or ID numbers, or giving out another buyer's data.",
            "索要验证码、密码、银行卡号或身份证号，或泄露其他顾客的信息。",
        ),
        Category(
            "unauthorised_discount",
            "Private discounts",
            "私自改价",
            "value-talk",
            "Agents do not change prices: private discounts, 'inside' prices, 'I'll charge you less'.",
            "客服不改价：私下优惠、内部价、“少收您一点”。",
        ),
        Category(
            "false_claim",
            "Wrong facts",
            "不实说法",
            "product-facts",
            "Claims the store knows are false: waterproof for water-repellent, lifetime warranty, TSA locks opened by customs.",
            "店铺明知不实的说法：把防泼水说成防水、终身保修、海关开TSA锁。",
        ),
        Category(
            "disparagement",
            "Running down other stores",
            "贬低同行",
            "platform-rule",
            "Calling other stores' goods fake or bad (Advertising Law art. 13); compare our own facts instead.",
            "说别家是假货或质量差（广告法第十三条）；请只比较我们自己的事实。",
        ),
    )
}

SEVERITIES = ("block", "warn")
