"""Realistic Chinese names drawn from weighted surnames and common given-name characters."""

import random

from openvet.demo import sources


def full_name(rng: random.Random, *, male: bool) -> str:
    data = sources.names()
    surname = rng.choices(data.surnames, weights=data.weights)[0]
    pool = (data.given_male if male else data.given_female) + data.given_neutral
    length = 1 if rng.random() < 0.3 else 2
    return surname + "".join(rng.choice(pool) for _ in range(length))
