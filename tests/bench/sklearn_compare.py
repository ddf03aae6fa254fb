"""Accuracy and log loss of mlptrain/mlppredict against scikit-learn's
MLPClassifier with the same algorithm: per-sample SGD (batch_size=1), no
momentum, no L2 penalty, constant learning rate, logistic units, standardised
inputs.  Five stratified 70/30 splits per data set; test-set mean +- std.

usage (from the top of the tree, after make; needs Debian's python3-sklearn,
which make deps-sklearn installs):
    /usr/bin/python3 tests/bench/sklearn_compare.py
"""
import numpy as np, os, subprocess, sys, tempfile, warnings
from sklearn.datasets import load_breast_cancer
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
from sklearn.metrics import log_loss, accuracy_score
warnings.filterwarnings("ignore")
B = os.getcwd()
T = tempfile.mkdtemp()
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
    m = MLPClassifier(hidden_layer_sizes=hidden, activation="logistic", solver="sgd", batch_size=1, momentum=0,
        nesterovs_momentum=False, alpha=0, learning_rate="constant", learning_rate_init=eta, max_iter=epochs,
        shuffle=True, tol=0, n_iter_no_change=10**9, random_state=seed)
    m.fit(sc.transform(train[:,:-1]), train[:,-1])
    return m.predict_proba(sc.transform(test[:,:-1]))[:,1]
def data(name):
    if name == "breast_cancer":
        d = load_breast_cancer(); return np.column_stack([d.data, d.target])
    return np.loadtxt(B+"/data/%s.csv" % name, delimiter=",", skiprows=1)
for name, hidden, epochs, eta in [("breast_cancer",(16,),50,0.01), ("moons",(8,),100,0.1), ("rings",(8,),100,0.1), ("blobs4",(8,),100,0.1)]:
    D = data(name); res = {"ours": [], "sklearn": []}
    for seed in range(5):
        tr, te = train_test_split(D, test_size=0.3, random_state=seed, stratify=D[:,-1])
        for k, f in (("ours", ours), ("sklearn", sk)):
            p = f(tr, te, hidden, epochs, eta, seed + 1)
            res[k].append((log_loss(te[:,-1], p, labels=[0,1]), accuracy_score(te[:,-1], p >= 0.5)))
    for k in res:
        a = np.array(res[k])
        print("%-14s %-8s layers %-10s e=%-3d eta=%-5g  test log loss %.4f +- %.4f  accuracy %.4f +- %.4f" % (name, k, hidden, epochs, eta, a[:,0].mean(), a[:,0].std(), a[:,1].mean(), a[:,1].std()))
