"""Reads 16-bit mono PCM from stdin at the pace a sound card plays it, writing how many bytes it
has taken to the file in argv[2] after every block. Stands in for the sound card in tests."""
import sys
import time

rate, counter = int(sys.argv[1]), sys.argv[2]
block = rate * 2 // 50            # 20 ms of audio
taken, start = 0, time.monotonic()
while True:
    data = sys.stdin.buffer.read(block)
    if not data:
        break
    taken += len(data)
    with open(counter, "w") as fh:
        fh.write(str(taken))
    ahead = taken / (rate * 2) - (time.monotonic() - start)
    if ahead > 0:
        time.sleep(ahead)
