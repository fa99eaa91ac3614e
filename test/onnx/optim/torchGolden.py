# Generates the torch golden values of torchGolden.test.ts (run: /usr/bin/python3 torchGolden.py).
# torch 1.13.1 (Debian python3-torch), float64; 5 steps, clip_grad_norm_(1.5) before each step.
import json
import torch

torch.set_default_dtype(torch.float64)
res = {}
for kind in ['adamw', 'adam', 'sgd', 'sgdn']:
    p = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    if kind == 'adamw':
        opt = torch.optim.AdamW([p], lr=0.1, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.05)
    elif kind == 'adam':
        opt = torch.optim.Adam([p], lr=0.1, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.05)
    else:
        opt = torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=kind == 'sgdn', weight_decay=0.05)
    for t in range(1, 6):
        p.grad = torch.tensor([0.3 * t, -1.0 + 0.1 * t, 2.0 / t])
        torch.nn.utils.clip_grad_norm_([p], 1.5)
        opt.step()
    res[kind] = p.detach().tolist()
print(json.dumps(res))
