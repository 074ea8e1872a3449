"""Linear, kernel, Bayes, neighbour and neural families: LinearClassifier, SVMClassifier and
the ai.onnx ops skl2onnx emits for the rest."""

from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC, LinearSVC

from onnx_fixtures import data
from onnx_fixtures.family import Fitted, numeric

SEED = data.SEED


def logreg_binary() -> Fitted:
    return numeric(LogisticRegression(max_iter=5000), data.breast_cancer())


def logreg_multinomial() -> Fitted:
    return numeric(LogisticRegression(max_iter=1000), data.iris())


def logreg_double() -> Fitted:
    """Double-precision input: skl2onnx then builds the score from MatMul, Add and Softmax."""
    return numeric(LogisticRegression(max_iter=1000), data.iris(), double=True)


def linear_svc_binary() -> Fitted:
    return numeric(LinearSVC(random_state=SEED), data.synthetic(2))


def linear_svc_multiclass() -> Fitted:
    return numeric(LinearSVC(random_state=SEED), data.synthetic(3))


def calibrated_linear_svc_binary() -> Fitted:
    model = CalibratedClassifierCV(LinearSVC(random_state=SEED), cv=3)
    return numeric(model, data.synthetic(2))


def calibrated_linear_svc_multiclass() -> Fitted:
    model = CalibratedClassifierCV(LinearSVC(random_state=SEED), cv=3)
    return numeric(model, data.iris())


def calibrated_linear_svc_isotonic() -> Fitted:
    model = CalibratedClassifierCV(LinearSVC(random_state=SEED), cv=3, method="isotonic")
    return numeric(model, data.iris())


def svc(kernel: str, binary: bool = False, probability: bool = True) -> Fitted:
    model = SVC(kernel=kernel, probability=probability, random_state=SEED)
    if kernel == "poly":
        model.set_params(degree=3, gamma=0.1)
    return numeric(model, data.synthetic(2) if binary else data.iris())


def gaussian_nb() -> Fitted:
    return numeric(GaussianNB(), data.iris())


def gaussian_nb_binary() -> Fitted:
    return numeric(GaussianNB(), data.breast_cancer())


def knn() -> Fitted:
    return numeric(KNeighborsClassifier(n_neighbors=5), data.iris())


def knn_digits() -> Fitted:
    return numeric(KNeighborsClassifier(n_neighbors=3, weights="distance"), data.digits())


def mlp() -> Fitted:
    model = MLPClassifier(hidden_layer_sizes=(16,), max_iter=300, random_state=SEED)
    return numeric(model, data.digits())


def mlp_binary() -> Fitted:
    model = MLPClassifier(
        hidden_layer_sizes=(8, 4), activation="tanh", max_iter=500, random_state=SEED
    )
    return numeric(model, data.synthetic(2))
