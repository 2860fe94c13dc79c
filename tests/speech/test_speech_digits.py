"""Numbers as a listener takes them down: a phone number's long groups in the groups people
say, and a postcode digit by digit, never as an amount ("tre mijë e një Elbasan" for 3001)."""
from __future__ import annotations

from kiosk.speech.normalise import dial_digits, normalise, spoken_groups


def test_long_groups_of_a_phone_number_are_said_as_people_say_them():
    assert dial_digits("+355 4 2256840", "en") == "plus three five five, four, two two five, six eight, four zero"
    assert dial_digits("+355 4 2256840", "sq") == "plus tre pesë pesë, katër, dy dy pesë, gjashtë tetë, katër zero"
    assert [spoken_groups("1" * n) for n in (3, 4, 5, 6, 7, 8, 9, 10)] == [
        ["111"], ["1111"], ["111", "11"], ["111", "111"], ["111", "11", "11"], ["111", "111", "11"],
        ["111", "111", "111"], ["111", "111", "11", "11"]]
    # written groups are kept as written, and the lines to call are unchanged
    assert dial_digits("+355 54 200 130", "en") == "plus three five five, five four, two zero zero, one three zero"
    assert dial_digits("116 111", "sq") == "një një gjashtë, një një një"
    assert dial_digits("129", "en") == "one two nine"
    # a mobile written in one go, in free text too
    assert normalise("Telefononi në 069 2345678.", "sq") == \
        "Telefononi në zero gjashtë nëntë, dy tre katër, pesë gjashtë, shtatë tetë."


POSTCODES = [
    ("3001 Elbasan", "tre zero zero një Elbasan", "three zero zero one Elbasan"),
    ("Rruga Kostandin Kristoforidhi, Nr. 8, 3001 Elbasan",
     "Rruga Kostandin Kristoforidhi, Numër tetë, tre zero zero një Elbasan",
     "Rruga Kostandin Kristoforidhi, number eight, three zero zero one Elbasan"),
    ("Sheshi Aqif Pasha, 1001 Tiranë.", "Sheshi Aqif Pasha, një zero zero një Tiranë.",
     "Sheshi Aqif Pasha, one zero zero one Tiranë."),
    ("1001 Tiranë, Shqipëri", "një zero zero një Tiranë, Shqipëri", "one zero zero one Tiranë, Shqipëri"),
]
#: amounts and years are still numbers
NOT_POSTCODES = [
    ("Ndihma është 3001 lekë", "Ndihma është tre mijë e një lekë"),
    ("Që nga viti 2001, në Elbasan", "Që nga viti dy mijë e një, në Elbasan"),
    ("Për 3000 familje", "Për tre mijë familje"),
]


def test_a_postcode_is_said_digit_by_digit():
    for text, sq, en in POSTCODES:
        assert (normalise(text, "sq"), normalise(text, "en")) == (sq, en)
    for text, sq in NOT_POSTCODES:
        assert normalise(text, "sq") == sq
