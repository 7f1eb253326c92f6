"""A complete training loop: device-aware, with validation, per-epoch averages and early stopping.

Run it as a script (python snippets/train_loop.py) or import its functions. The data is synthetic
and tiny (three clusters of 2-D points), so the whole run takes well under a second on a CPU.
"""

import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def pick_device() -> torch.device:
    """The accelerator if there is one (CUDA, MPS, ...), otherwise the CPU."""
    if torch.accelerator.is_available():
        return torch.accelerator.current_accelerator()
    return torch.device("cpu")


def make_datasets(n_per_class: int = 100, seed: int = 0) -> tuple[TensorDataset, TensorDataset]:
    """Three overlapping Gaussian clusters in 2-D, split 80/20 into training and validation sets."""
    g = torch.Generator().manual_seed(seed)
    centers = torch.tensor([[1.5, 1.5], [-1.5, -1.5], [1.5, -1.5]])
    labels = torch.arange(3).repeat_interleave(n_per_class)
    points = centers[labels] + torch.randn(len(labels), 2, generator=g)
    order = torch.randperm(len(labels), generator=g)
    points, labels = points[order], labels[order]
    n_train = int(0.8 * len(labels))
    return TensorDataset(points[:n_train], labels[:n_train]), TensorDataset(points[n_train:], labels[n_train:])


def make_model() -> nn.Module:
    return nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 3))


def train_one_epoch(model, loader, loss_fn, optimizer, device) -> tuple[float, float]:
    """One pass over the training data; returns the average loss and the accuracy per example."""
    model.train()
    total_loss, correct, count = 0.0, 0, 0
    for xb, yb in loader:
        xb, yb = xb.to(device, non_blocking=True), yb.to(device, non_blocking=True)
        logits = model(xb)
        loss = loss_fn(logits, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        # loss is the mean over this batch: weigh it by the batch size (the last batch may be smaller)
        total_loss += loss.item() * len(yb)
        correct += (logits.argmax(dim=1) == yb).sum().item()
        count += len(yb)
    return total_loss / count, correct / count


@torch.no_grad()
def evaluate(model, loader, loss_fn, device) -> tuple[float, float]:
    """Average loss and accuracy on data the model does not learn from (no graph, no dropout)."""
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    for xb, yb in loader:
        xb, yb = xb.to(device, non_blocking=True), yb.to(device, non_blocking=True)
        logits = model(xb)
        total_loss += loss_fn(logits, yb).item() * len(yb)
        correct += (logits.argmax(dim=1) == yb).sum().item()
        count += len(yb)
    return total_loss / count, correct / count


def fit(model, train_loader, val_loader, loss_fn, optimizer, device, max_epochs=50, patience=3, log=print):
    """Train until the validation loss has not improved for `patience` epochs; keep the best weights.

    Returns the history: one dict per epoch. The model ends with the weights of the best epoch.
    """
    history = []
    best_loss, best_epoch, best_state = float("inf"), 0, None
    for epoch in range(1, max_epochs + 1):
        train_loss, train_acc = train_one_epoch(model, train_loader, loss_fn, optimizer, device)
        val_loss, val_acc = evaluate(model, val_loader, loss_fn, device)
        history.append(
            {"epoch": epoch, "train_loss": train_loss, "train_acc": train_acc, "val_loss": val_loss, "val_acc": val_acc}
        )
        log(
            f"epoch {epoch:2d}: train loss {train_loss:.4f}, acc {train_acc:.3f} | "
            f"val loss {val_loss:.4f}, acc {val_acc:.3f}"
        )
        if val_loss < best_loss:
            best_loss, best_epoch = val_loss, epoch
            best_state = copy.deepcopy(model.state_dict())  # a copy: state_dict() shares the live tensors
        elif epoch - best_epoch >= patience:
            log(f"early stop: no improvement for {patience} epochs")
            break
    model.load_state_dict(best_state)
    return history


def main(device=None) -> list[dict]:
    torch.manual_seed(0)
    device = torch.device(device) if device is not None else pick_device()
    train_set, val_set = make_datasets()
    pin = device.type == "cuda"  # page-locked batches copy to a CUDA GPU asynchronously
    train_loader = DataLoader(
        train_set, batch_size=32, shuffle=True, generator=torch.Generator().manual_seed(0), pin_memory=pin
    )
    val_loader = DataLoader(val_set, batch_size=64, pin_memory=pin)
    model = make_model().to(device)  # move the model first, then give its parameters to the optimizer
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    history = fit(model, train_loader, val_loader, nn.CrossEntropyLoss(), optimizer, device)
    best = min(history, key=lambda h: h["val_loss"])
    print(f"best epoch {best['epoch']}: val loss {best['val_loss']:.4f}, val accuracy {best['val_acc']:.3f} ({device})")
    return history


if __name__ == "__main__":
    main()
