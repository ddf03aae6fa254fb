"""Accuracy and log loss of mlptrain/mlppredict against scikit-learn's
MLPClassifier with the same algorithm: per-sample SGD (batch_size=1), no
momentum, no L2 penalty, constant learning rate, logistic hidden units,
standardised inputs (population std; mlptrain standardises by itself from the
training rows, scikit-learn gets StandardScaler'd inputs fitted on them).
Held-out results over stratified 70/30 splits, mean +- std.

Tables:
  binary       breast cancer (scikit-learn's) and data/moons, rings, blobs4:
               one sigmoid output on both sides, five splits.
  multiclass   iris, wine and digits (scikit-learn's), ten splits, and iris
               again with a small budget (50 epochs at rate 0.01).  Three
               tools, the same hidden size, epochs and rate for all:
                 ours     mlptrain: K sigmoid outputs trained one-vs-rest
                          (binary log losses summed over the outputs);
                 sklearn  MLPClassifier on the labels: a softmax output and
                          the categorical log loss;
                 sk-ovr   MLPClassifier on one-hot targets, which makes it a
                          multi-label net: K logistic outputs and summed
                          binary log losses, mlptrain's model and loss, so it
                          tells the one-vs-rest/softmax difference (inherent)
                          from a difference of implementation.
               Accuracy is that of mlppredict -l (the label of the largest
               output) for ours, of the largest probability for theirs; the
               log loss is sklearn's log_loss on mlppredict --normalize (each
               row divided by its sum) for ours, on predict_proba (softmax)
               for sklearn, on predict_proba divided by its row sums for
               sk-ovr.  Iris and wine go to mlptrain with their class names
               as text labels (setosa, ..., class_0, ...), digits with 0-9.
               Time is the wall time of one split, mean over splits: for
               ours, both processes (mlptrain, then mlppredict --normalize);
               for theirs, scaling, fit and predict_proba in this process.
               For 3 classes, the recall of each class (labels in sorted
               order) over the test rows of all splits together.
  sweep        (only when named) iris and wine, hidden 8, 16, 32, epochs 50
               and 200, rate 0.01 and 0.1, five splits: mean accuracies; *
               marks ours more than 0.02 from sklearn's.

usage (from the top of the tree, after make; needs Debian's python3-sklearn,
which make deps-sklearn installs):
    /usr/bin/python3 tests/bench/sklearn_compare.py [binary] [multiclass] [sweep]
(binary and multiclass when none is named: about 6 minutes on 2 shared
cores; sweep: about 7 minutes)
"""
import atexit, csv, json, numpy as np, os, shutil, subprocess, sys, tempfile, time, warnings
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import LabelBinarizer, StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.metrics import accuracy_score, confusion_matrix, log_loss
warnings.filterwarnings("ignore")
B = os.getcwd()
T = tempfile.mkdtemp()
atexit.register(shutil.rmtree, T, True)
def sk_model(hidden, epochs, eta, seed):
    return MLPClassifier(hidden_layer_sizes=hidden, activation="logistic", solver="sgd", batch_size=1, momentum=0,
        nesterovs_momentum=False, alpha=0, learning_rate="constant", learning_rate_init=eta, max_iter=epochs,
        shuffle=True, tol=0, n_iter_no_change=10**9, random_state=seed)

# Binary: one output, the probability of class 1.
def ours(train, test, hidden, epochs, eta, seed):
    ntr = train.shape[1]-1
    np.savetxt(T+"/tr.csv", train, delimiter=",", fmt="%.17g")
    np.savetxt(T+"/te.csv", test, delimiter=",", fmt="%.17g")
    layers = ",".join(map(str, [ntr] + list(hidden) + [1]))
    subprocess.run([B+"/mlptrain","-q","-l",layers,"-e",str(epochs),"-r",str(eta),"-s",str(seed),"-o",T+"/m.json",T+"/tr.csv"], check=True)
    out = subprocess.run([B+"/mlppredict",T+"/m.json",T+"/te.csv"], check=True, capture_output=True, text=True).stdout
    return np.array([float(x) for x in out.split()])
def sk(train, test, hidden, epochs, eta, seed):
    sc = StandardScaler().fit(train[:,:-1])
    m = sk_model(hidden, epochs, eta, seed)
    m.fit(sc.transform(train[:,:-1]), train[:,-1])
    return m.predict_proba(sc.transform(test[:,:-1]))[:,1]
def data(name):
    if name == "breast_cancer":
        d = load_breast_cancer(); return np.column_stack([d.data, d.target])
    return np.loadtxt(B+"/data/%s.csv" % name, delimiter=",", skiprows=1)
def binary():
    for name, hidden, epochs, eta in [("breast_cancer",(16,),50,0.01), ("moons",(8,),100,0.1), ("rings",(8,),100,0.1), ("blobs4",(8,),100,0.1)]:
        D = data(name); res = {"ours": [], "sklearn": []}
        for seed in range(5):
            tr, te = train_test_split(D, test_size=0.3, random_state=seed, stratify=D[:,-1])
            for k, f in (("ours", ours), ("sklearn", sk)):
                p = f(tr, te, hidden, epochs, eta, seed + 1)
                res[k].append((log_loss(te[:,-1], p, labels=[0,1]), accuracy_score(te[:,-1], p >= 0.5)))
        for k in res:
            a = np.array(res[k])
            print("%-14s %-8s layers %-10s e=%-3d eta=%-5g  test log loss %.4f +- %.4f  accuracy %.4f +- %.4f" % (name, k, hidden, epochs, eta, a[:,0].mean(), a[:,0].std(), a[:,1].mean(), a[:,1].std()), flush=True)

# K classes: y holds the labels as mlptrain reads them (text, or whole numbers).
def ours_k(Xtr, ytr, Xte, hidden, epochs, eta, seed):
    with open(T+"/tr.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["x%d" % (j+1) for j in range(Xtr.shape[1])] + ["class"])
        w.writerows([["%.17g" % v for v in x] + [str(c)] for x, c in zip(Xtr, ytr)])
    np.savetxt(T+"/te.csv", Xte, delimiter=",", fmt="%.17g")
    K = len(set(ytr)); layers = ",".join(map(str, [Xtr.shape[1]] + list(hidden) + [K]))
    t0 = time.perf_counter()
    subprocess.run([B+"/mlptrain","-q","-H","-l",layers,"-e",str(epochs),"-r",str(eta),"-s",str(seed),"-o",T+"/m.json",T+"/tr.csv"], check=True)
    out = subprocess.run([B+"/mlppredict","-N","--normalize",T+"/m.json",T+"/te.csv"], check=True, capture_output=True, text=True).stdout
    sec = time.perf_counter() - t0
    P = np.array([[float(v) for v in line.split(",")] for line in out.splitlines()])
    lab = subprocess.run([B+"/mlppredict","-N","-l",T+"/m.json",T+"/te.csv"], check=True, capture_output=True, text=True).stdout.split()
    classes = [str(c) for c in json.load(open(T+"/m.json"))["classes"]]
    if len(classes) != K or P.shape != (len(Xte), K) or any(classes[i] != l for i, l in zip(P.argmax(axis=1), lab)):
        sys.exit("sklearn_compare: mlppredict -l disagrees with the largest of --normalize's outputs, or classes %s" % classes)
    return lab, P, classes, sec
def sk_k(Xtr, ytr, Xte, hidden, epochs, eta, seed):
    t0 = time.perf_counter()
    sc = StandardScaler().fit(Xtr)
    m = sk_model(hidden, epochs, eta, seed).fit(sc.transform(Xtr), ytr)
    P = m.predict_proba(sc.transform(Xte))
    sec = time.perf_counter() - t0
    return [str(c) for c in m.classes_[P.argmax(axis=1)]], P, [str(c) for c in m.classes_], sec
def sk_ovr(Xtr, ytr, Xte, hidden, epochs, eta, seed):
    # One-hot targets make MLPClassifier a multi-label net: K logistic outputs,
    # binary log losses summed over them, i.e. mlptrain's model and loss.
    t0 = time.perf_counter()
    sc = StandardScaler().fit(Xtr); lb = LabelBinarizer().fit(ytr)
    m = sk_model(hidden, epochs, eta, seed).fit(sc.transform(Xtr), lb.transform(ytr))
    if m.out_activation_ != "logistic":
        sys.exit("sklearn_compare: one-hot targets gave a %s output, not logistic" % m.out_activation_)
    P = m.predict_proba(sc.transform(Xte)); P = P / P.sum(axis=1, keepdims=True)
    sec = time.perf_counter() - t0
    return [str(c) for c in lb.classes_[P.argmax(axis=1)]], P, [str(c) for c in lb.classes_], sec
def data_k(name):
    d = {"iris": load_iris, "wine": load_wine, "digits": load_digits}[name]()
    y = d.target if name == "digits" else d.target_names[d.target]   # 0-9, or 'setosa', 'class_0', ...
    return d.data, np.array([str(c) for c in y])
TOOLS_K = (("ours", ours_k), ("sklearn", sk_k), ("sk-ovr", sk_ovr))
def compare_k(name, hidden, epochs, eta, splits):
    """Per tool, one row per split (accuracy, log loss, seconds), and the
    confusion matrix summed over the splits (rows actual, columns predicted)."""
    X, y = data_k(name); res = {k: [] for k, _ in TOOLS_K}; cm = {k: 0 for k, _ in TOOLS_K}
    for seed in range(splits):
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)
        for k, f in TOOLS_K:
            lab, P, classes, sec = f(Xtr, ytr, Xte, hidden, epochs, eta, seed + 1)
            order = np.argsort(classes)   # log_loss wants the columns in sorted label order
            res[k].append((accuracy_score(yte, lab), log_loss(yte, P[:, order], labels=sorted(classes)), sec))
            cm[k] = cm[k] + confusion_matrix(yte, lab, labels=sorted(classes))
    return "%d,%d,%d" % (X.shape[1], hidden[0], len(set(y))), {k: np.array(v) for k, v in res.items()}, cm
def multiclass(splits=10):
    print("%-7s %-8s %-4s %-5s %-8s %-17s  %-17s  %-7s  %-36s  %s" % ("data", "layers", "e", "eta", "tool", "accuracy", "log loss", "time s", "accuracy - sklearn's (mean +- std)", "recall by class, 3 classes (pooled)"))
    for name, hidden, epochs, eta in [("iris",(16,),100,0.05), ("wine",(16,),100,0.05), ("digits",(32,),100,0.05), ("iris",(16,),50,0.01)]:
        layers, res, cm = compare_k(name, hidden, epochs, eta, splits)
        for k, a in res.items():
            d = a[:,0] - res["sklearn"][:,0]
            diff = "%+.4f +- %.4f (%s 0.02)" % (d.mean(), d.std(), "within" if abs(d.mean()) <= 0.02 else "NOT within") if k != "sklearn" else ""
            recall = " ".join("%.3f" % r for r in cm[k].diagonal() / cm[k].sum(axis=1)) if len(cm[k]) == 3 else ""
            print(("%-7s %-8s %-4d %-5g %-8s %.4f +- %.4f  %.4f +- %.4f  %7.2f  %-36s  %s" % (name, layers, epochs, eta, k, a[:,0].mean(), a[:,0].std(), a[:,1].mean(), a[:,1].std(), a[:,2].mean(), diff, recall)).rstrip(), flush=True)
def sweep(splits=5):
    """Iris and wine over hidden sizes, epochs and rates: mean accuracies."""
    print("%-5s %-8s %-4s %-5s  %-7s %-7s %-7s  %-13s %s" % ("data", "layers", "e", "eta", "ours", "sklearn", "sk-ovr", "ours-sklearn", "sk-ovr-sklearn"))
    for name in ("iris", "wine"):
        for h in (8, 16, 32):
            for epochs in (50, 200):
                for eta in (0.01, 0.1):
                    layers, res, _ = compare_k(name, (h,), epochs, eta, splits)
                    m = {k: a[:,0].mean() for k, a in res.items()}
                    print("%-5s %-8s %-4d %-5g  %.4f  %.4f  %.4f   %+.4f%s  %+.4f" % (name, layers, epochs, eta, m["ours"], m["sklearn"], m["sk-ovr"],
                        m["ours"] - m["sklearn"], " " if abs(m["ours"] - m["sklearn"]) <= 0.02 else "*", m["sk-ovr"] - m["sklearn"]), flush=True)

parts = sys.argv[1:] or ["binary", "multiclass"]
for i, p in enumerate(parts):
    if p not in ("binary", "multiclass", "sweep"):
        sys.exit("usage: sklearn_compare.py [binary] [multiclass] [sweep]")
    if i:
        print()
    {"binary": binary, "multiclass": multiclass, "sweep": sweep}[p]()
