"""Linear, kernel, Bayes, neighbour and neural families: LinearClassifier, SVMClassifier and
the ai.onnx ops skl2onnx emits for the rest."""

from onnx import TensorProto, helper
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC, LinearSVC

from onnx_fixtures import convert, data
from onnx_fixtures.family import Family, Fitted, numeric

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


def svc_pairwise_scores() -> Fitted:
    """skl2onnx's SVC without probabilities cut back to its SVMClassifier node, whose scores
    are then the graph output: one raw decision value per pair of the three classes. The
    runtime must compute them; the service refuses to serve them, since no class owns one."""
    fitted = svc("rbf", probability=False)
    full = convert.export(Family("svc_rbf_no_probability", lambda: fitted), fitted)
    svm = next(node for node in full.graph.node if node.op_type == "SVMClassifier")
    del svm.output[1:]
    svm.output.append("scores")
    graph = helper.make_graph(
        [svm],
        "svc_pairwise_scores",
        list(full.graph.input),
        [
            helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
            helper.make_tensor_value_info("scores", TensorProto.FLOAT, [None, 3]),
        ],
    )
    model = helper.make_model(
        graph,
        opset_imports=list(full.opset_import),
        ir_version=full.ir_version,
        producer_name=full.producer_name,
        producer_version=full.producer_version,
    )
    return Fitted(model, fitted.inputs, fitted.rows, "onnx")


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
