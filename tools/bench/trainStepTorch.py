# PyTorch eager (CPU) timing of the train-step benchmark net; the same architecture as unetLike.ts.
# Called by trainStep.ts with one JSON argument {batch, inCh, size, ch, midCh, threads, warmup, iters};
# prints one JSON object of median milliseconds. Never writes files. Reference: torch.optim.AdamW.
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class UnetLike(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv_in = nn.Conv2d(c['inCh'], c['ch'], 3, padding=1)
        self.down = nn.Conv2d(c['ch'], c['midCh'], 3, stride=2, padding=1)
        self.to_q = nn.Linear(c['midCh'], c['midCh'], bias=False)
        self.to_k = nn.Linear(c['midCh'], c['midCh'], bias=False)
        self.to_v = nn.Linear(c['midCh'], c['midCh'], bias=False)
        self.up = nn.Conv2d(c['midCh'], c['ch'], 3, padding=1)
        self.merge = nn.Conv2d(2 * c['ch'], c['ch'], 3, padding=1)
        self.conv_out = nn.Conv2d(c['ch'], c['inCh'], 3, padding=1)

    def forward(self, x, target):
        h0 = F.silu(self.conv_in(x))
        h1 = F.silu(self.down(h0))
        b, ch, h, w = h1.shape
        t = h1.reshape(b, ch, h * w).transpose(1, 2)
        q, k, v = self.to_q(t), self.to_k(t), self.to_v(t)
        a = torch.softmax(q @ k.transpose(1, 2) / ch ** 0.5, dim=-1) @ v
        mid = h1 + a.transpose(1, 2).reshape(b, ch, h, w)
        up = self.up(F.interpolate(mid, scale_factor=2, mode='nearest'))
        h2 = F.silu(self.merge(torch.cat([up, h0], 1)))
        return F.mse_loss(self.conv_out(h2), target)


def median_ms(fn, warmup, iters):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[len(times) // 2]


def main():
    c = json.loads(sys.argv[1])
    torch.manual_seed(0)
    torch.set_num_threads(c['threads'])
    net = UnetLike(c)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.01)
    shape = (c['batch'], c['inCh'], c['size'], c['size'])
    x, target = torch.randn(shape), torch.randn(shape)

    def forward():
        with torch.no_grad():
            net(x, target)

    def forward_backward():
        net.zero_grad(set_to_none=True)
        net(x, target).backward()

    def train_step():
        forward_backward()
        opt.step()

    out = {
        'version': torch.__version__,
        'threads': torch.get_num_threads(),
        'forwardMs': median_ms(forward, c['warmup'], c['iters']),
        'forwardBackwardMs': median_ms(forward_backward, c['warmup'], c['iters']),
        'trainStepMs': median_ms(train_step, c['warmup'], c['iters']),
    }
    print(json.dumps(out))


main()
