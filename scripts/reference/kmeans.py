"""Reference inertias for src/domain/kmeans.test.ts.

scikit-learn KMeans (init='k-means++', algorithm='lloyd') on vega-datasets'
penguins.json: the 342 rows with all four measurements (beak length, beak
depth, flipper length, body mass), each column standardised with the
population deviation (StandardScaler, as `standardizeColumns`). For each k,
the inertia of n_init=10 (random_state=0) and the best of n_init=1000, the
latter taken as the global optimum.

    python3 -m venv /tmp/refenv && /tmp/refenv/bin/pip install numpy pandas scikit-learn
    OMP_NUM_THREADS=1 /tmp/refenv/bin/python scripts/reference/kmeans.py
"""
import json

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

COLS = ["Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"]
rows = json.load(open("node_modules/vega-datasets/data/penguins.json"))
x = np.array([[r[c] for c in COLS] for r in rows if all(isinstance(r.get(c), (int, float)) for c in COLS)], dtype=float)
z = StandardScaler().fit_transform(x)
out = {"versions": {"scikit-learn": sklearn.__version__, "numpy": np.__version__}, "rows": len(x), "n_init_10": {}, "best_of_1000": {}, "n_init_1": {}}
for k in range(2, 11):
    out["n_init_10"][k] = float(KMeans(k, init="k-means++", n_init=10, random_state=0, algorithm="lloyd").fit(z).inertia_)
    out["n_init_1"][k] = float(KMeans(k, init="k-means++", n_init=1, random_state=0, algorithm="lloyd").fit(z).inertia_)
    out["best_of_1000"][k] = float(KMeans(k, init="k-means++", n_init=1000, random_state=0, algorithm="lloyd").fit(z).inertia_)
print(json.dumps(out, indent=1))
