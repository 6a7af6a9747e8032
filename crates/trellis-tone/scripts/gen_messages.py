#!/usr/bin/env python3
"""Writes a deterministic sample of chat-like messages, one JSON string per line.

Usage: python3 gen_messages.py N > messages.jsonl
Seeded (random.Random(20261124)); the same N gives the same file. Written for Trellis;
no third-party text is copied. The messages mimic a builders' community chat after a demo
night: thanks, questions, complaints, emoji, shouting, negations, "but", boosters, idioms,
multi-line messages and a few non-English lines.
"""
import json
import random
import sys

R = random.Random(20261124)

OPENERS = ["", "", "", "hey", "Hey all", "ok", "lol", "omg", "honestly", "tbh", "Well", "So",
           "guys", "@sam", "FYI", "btw", "Hmm", "Yeah", "yeah right", "Wow", "ugh", "Oh no"]
SUBJECTS = ["the demo", "last night", "the event", "the talk", "Priya's demo", "the pizza",
            "the venue", "the wifi", "the mic", "the slides", "the lightning talks", "it",
            "the meetup", "the Q&A", "the robot arm demo", "the new space", "the schedule",
            "the livestream", "the after-party", "this thing"]
POS = ["great", "good", "amazing", "awesome", "fun", "nice", "cool", "helpful", "inspiring",
       "brilliant", "lovely", "excellent", "fantastic", "interesting", "impressive", "fine",
       "the bomb", "the shit", "to die for", "badass", "perfect", "smart", "funny", "happy"]
NEG = ["bad", "terrible", "awful", "boring", "too long", "a mess", "disappointing", "annoying",
       "broken", "horrible", "sad", "painful", "a disaster", "confusing", "useless", "meh",
       "lame", "sux", "the worst", "a waste of time", "frustrating", "ugly", "stupid", "weak"]
NEUTRAL = ["at 7", "on Thursday", "in room 2", "next month", "by the door", "online",
           "on the wiki", "in the doc", "with Alex", "after the break", "tomorrow", "again"]
BOOST = ["very", "really", "so", "super", "extremely", "totally", "kinda", "kind of", "sort of",
         "slightly", "barely", "hardly", "incredibly", "absolutely", "a little", "quite",
         "VERY", "REALLY", "SO", "most", "less", "fucking", "friggin", "just enough"]
NEGATORS = ["not", "never", "isn't", "wasn't", "don't", "didn't", "wasnt", "dont", "no",
            "nothing", "without", "hardly", "can't", "won't", "nor", "none", "rarely", "despite"]
EMOJI = ["😀", "😂", "🤣", "😍", "🥰", "😭", "😡", "🙏", "👍", "👎", "🔥", "💯", "🎉", "❤️",
         "💔", "😬", "🤔", "🙄", "😴", "🤯", "👏", "😅", "😢", "💩", "🚀", "✨", "😐", "🙃",
         "❤", "☹️", "😊", "🥲", "🤷‍♀️", "👋🏽", "🍕"]
EMOTICONS = [":)", ":(", ":D", ";)", ":-)", ":/", "<3", ":P", "xD", "XD", ":'(", "^_^", "=)"]
PHRASES = [
    "No worries", "no worries!", "No problem", "no prob", "thanks!", "Thanks so much",
    "thank you all", "ty", "see you there", "who's coming?", "what time does it start?",
    "is there parking?", "can someone share the slides?", "where is the link??",
    "any recording?", "does anyone know the wifi password?", "I can't make it",
    "count me in", "sounds good", "sure", "ok", "k", "nope", "yes!!!", "NO", "maybe",
    "not bad at all", "not great", "not good", "no good", "not bad", "never again",
    "never been better", "never so good", "without a doubt the best", "at least it was free",
    "the least useful talk", "very least", "kiss of death", "bus stop", "yeah right",
    "lol", "lmao", "haha", "LOL", "wtf", "smh", "ffs", "omg!!!", "???", "!!!!!",
    "happy to help", "sorry I missed it", "sorry, running late", "congrats!", "well done",
    "hate this", "love this", "I love it", "I hate it", "meh", "whatever", "fine.",
    "kind of disappointing", "sort of ok", "hardly worth it", "barely audible",
    "the mic was dead", "great job everyone", "that was a disaster", "what a waste",
    "nothing wrong with that", "no doubt", "no joke", "no no no", "No, it's fine",
    "not sure", "no idea", "none of it worked", "nobody came", "RIP", "LOVED IT",
    "HATED IT", "BEST. MEETUP. EVER.", "worst wifi ever", "10/10", "0/10 would not recommend",
    "grinning", "crying", "sad but true", "good but too long", "bad but fun",
    "fun but bad", "good but good", "great, but the sound was awful", "but why",
    "I thought it was ok but kinda boring", "It was great but not great",
]
NON_EN = ["Danke, war super!", "muy bien 👍", "c'était génial", "スゴイ！", "спасибо 🙏",
          "Das war leider nichts", "merci beaucoup", "ótimo evento", "好棒", "ok👌"]
TEMPLATES = [
    "{op} {subj} was {boost} {pos}{punct}",
    "{op} {subj} was {boost} {neg}{punct}",
    "{subj} was {neg_} {pos}{punct}",
    "{subj} was {neg_} {neg}{punct}",
    "{subj} is {pos} but {neg}{punct}",
    "{subj} is {neg} but {pos}{punct}",
    "{subj} was {pos}, {pos} and {pos}{punct}",
    "{phrase}",
    "{phrase} {emoji}",
    "{emoji}{emoji}",
    "{emoji}",
    "{phrase} {emoticon}",
    "{op} {phrase}{punct}",
    "{PHRASE}{punct}",
    "{phrase}. {phrase}",
    "{phrase}\n{phrase}",
    "is {subj} {neutral}?",
    "{op}, is {subj} still {neutral}?",
    "{subj} {neutral}{punct}",
    "Did anyone think {subj} was {pos}?",
    "Why was {subj} so {neg}??",
    "I {neg_} think {subj} was {pos}",
    "{SUBJ} WAS {POS}{punct}",
    "{SUBJ} WAS {NEG}{punct}",
    "{subj} was {POS} {emoji}",
    "{subj} was {NEG}!!!",
    "{non_en}",
    "{op} {non_en} {emoji}",
    "no {pos} {subj}",
    "no {neg} at all",
    "{pos} {pos} but {neg}",
    "{neg} or {pos}, not sure",
    "no {pos} or {pos}",
    "{boost} {pos}{emoji}{punct}",
    "{emoticon}{emoticon}",
    "https://example.org/slides {phrase}",
    "@alex {phrase} {emoji}{emoji}",
    "{subj} at {n} was {pos}... {neg_} {neg}",
    "{phrase}!!! {phrase}???",
    "{op} {subj} tho",
]
PUNCT = ["", "", "", ".", "!", "!!", "!!!", "?", "??", "?!", "...", " :)", "!!!!!!", "????"]


def pick(xs):
    return R.choice(xs)


def message():
    t = pick(TEMPLATES)
    out = t.format(
        op=pick(OPENERS), subj=pick(SUBJECTS), SUBJ=pick(SUBJECTS).upper(),
        boost=pick(BOOST), pos=pick(POS), POS=pick(POS).upper(), neg=pick(NEG),
        NEG=pick(NEG).upper(), neg_=pick(NEGATORS), neutral=pick(NEUTRAL),
        phrase=pick(PHRASES), PHRASE=pick(PHRASES).upper(), emoji=pick(EMOJI),
        emoticon=pick(EMOTICONS), punct=pick(PUNCT), non_en=pick(NON_EN),
        n=R.randint(1, 12),
    )
    out = " ".join(out.split(" ")) if R.random() < 0.9 else out.replace(" ", "  ")
    if R.random() < 0.05:
        out = out.capitalize()
    return out.strip(" ")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for _ in range(n):
        print(json.dumps(message(), ensure_ascii=False))


if __name__ == "__main__":
    main()
