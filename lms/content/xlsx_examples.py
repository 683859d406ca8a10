"""The example rows of the Excel template: one real customer-service question of every type it holds.

The facts are DOMAIN.md's (order states, the 72-hour dispute deadline, the seven-day return, the
20-second first response, the KPI bonus bands, the Advertising Law's superlatives).
"""

from __future__ import annotations

from typing import Any

from lms.content.quizzes import parse_question
from lms.content.specs import QuestionSpec

EXAMPLES: list[dict[str, Any]] = [
    {
        "id": "example-order-paid",
        "type": "single",
        "text": "顾客刚用支付宝付完款，订单现在是什么状态？",
        "choices": [
            {"text": "等待买家付款", "weight": 0},
            {"text": "买家已付款，等待卖家发货", "weight": 100},
            {"text": "卖家已发货，等待买家确认", "weight": 0},
            {"text": "交易成功", "weight": 0},
        ],
        "explanation": "支付宝收到货款后，订单进入“买家已付款”，等待卖家发货。",
        "tags": ["order-flow"],
        "en": {
            "text": "A shopper has just paid through Alipay. What state is the order in?",
            "choices": [
                {"text": "Awaiting payment"},
                {"text": "Paid, awaiting shipment"},
                {"text": "Shipped, awaiting confirmation"},
                {"text": "Trade successful"},
            ],
            "explanation": "Once Alipay has the money the order is paid and awaits shipment.",
        },
    },
    {
        "id": "example-seven-day-exceptions",
        "type": "multiple",
        "text": "以下哪些商品不适用七天无理由退货？",
        "choices": [
            {"text": "按顾客要求刻字定制的钱包", "weight": 50},
            {"text": "鲜活易腐的水果", "weight": 50},
            {"text": "未拆封的帆布托特包", "weight": 0},
        ],
        "explanation": "消费者权益保护法第二十五条：定作商品、鲜活易腐商品等除外。",
        "tags": ["returns"],
        "en": {
            "text": "Which goods are not covered by the seven-day no-reason return?",
            "choices": [
                {"text": "A wallet engraved to the shopper's order"},
                {"text": "Fresh fruit"},
                {"text": "An unopened canvas tote"},
            ],
        },
    },
    {
        "id": "example-seven-day-is-law",
        "type": "truefalse",
        "text": "七天无理由退货是我们店比别家好的地方，可以拿来和竞品比较。",
        "answer": False,
        "explanation": "七天无理由退货是法律对所有网店的要求，不是我们的优势；可以比较的是我们自己的保修和运费险。",
        "tags": ["returns", "value-talk"],
        "en": {
            "text": "The seven-day no-reason return is our advantage over rival shops and may be compared."
        },
    },
    {
        "id": "example-first-response",
        "type": "short",
        "text": "新会话进来，首次回复最迟要在几秒内发出？（填数字加单位）",
        "answers": [{"text": "20秒", "weight": 100}, {"text": "二十秒", "weight": 100}],
        "explanation": "首次响应标准是20秒，“我帮您查一下，稍等哦”这样的稳住语也算。",
        "tags": ["service-standard"],
        "en": {"text": "A new chat comes in. Within how many seconds must the first reply go out?"},
    },
    {
        "id": "example-bonus-90",
        "type": "numeric",
        "text": "本月KPI得分90分，按奖金档位（≥90分基数3000元），奖金是多少元？",
        "answers": [{"value": 2700, "tolerance": 0, "weight": 100}],
        "explanation": "奖金 = 基数 × 得分/100 = 3000 × 0.9 = 2700元。",
        "tags": ["kpi"],
        "en": {
            "text": "This month's KPI score is 90 (band ≥ 90: base 3000 yuan). What is the bonus in yuan?"
        },
    },
    {
        "id": "example-dispute-deadline",
        "type": "cloze",
        "text": "支付宝争议规则：买家签收后{{1}}小时内申请退货；京东第三方卖家须在{{2}}小时内回复纠纷。",
        "gaps": [{"answers": ["72", "七十二"]}, {"answers": ["36"]}],
        "tags": ["platform-rules"],
        "en": {
            "text": "Alipay dispute rule: a return is requested within {{1}} hours of signing; "
            "a JD.com third-party seller answers a dispute within {{2}} hours."
        },
    },
    {
        "id": "example-return-flow",
        "type": "essay",
        "text": "顾客要退换货，请按公司流程写出你要做的每一步。",
        "rubric": "问原因、道歉、安抚、登记、说明步骤、收货、补发、通知，顺序正确各得分。",
        "tags": ["after-sales"],
        "en": {
            "text": "A shopper wants a return or exchange. Write each step you take, in the company's order."
        },
    },
    {
        "id": "example-reply-superlative",
        "type": "reply",
        "text": "顾客问这款包是不是全网质量最好的。回复：不用绝对化用语，用事实说明品质。",
        "customer": "你家这个包是不是全网质量最好的？",
        "target_seconds": 20,
        "key_points": [
            {"points": 2, "phrases": ["头层牛皮", "真皮", "材质"]},
            {"points": 1, "phrases": ["保修", "售后"]},
        ],
        "forbidden": [{"penalty": 3, "phrases": ["最好", "第一", "最佳", "国家级"]}],
        "model_answer": "亲，这款包用的是头层牛皮，走线做得很细，我们还提供一年保修，您可以放心选哦。",
        "tags": ["value-talk", "house-rules"],
        "en": {
            "text": "The shopper asks whether this bag is the best quality anywhere. Reply without superlatives; "
            "show the quality with facts.",
            "customer": "Is your bag the best quality on the whole internet?",
            "model_answer": "This bag is full-grain leather with fine stitching, and we give a one-year warranty.",
        },
    },
]


def example_questions() -> list[QuestionSpec]:
    """The examples as questions (checked like any file: a broken example fails loudly)."""
    problems: list[str] = []
    questions = []
    for raw in EXAMPLES:
        question = parse_question(dict(raw), lambda message, *_at: problems.append(message))
        if question is not None:
            questions.append(question)
    if problems:
        raise ValueError(f"the Excel template examples are wrong: {problems}")
    return questions
