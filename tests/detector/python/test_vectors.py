"""detector/vectors.json through the Python twin: the same table the TypeScript detector passes."""

import unittest

from support import load_vectors, netra_environment, outcome


class VectorTest(unittest.TestCase):
    def test_the_table_has_vectors(self):
        self.assertGreaterEqual(len(load_vectors()), 80)

    def test_every_vector(self):
        for vector in load_vectors():
            with self.subTest(vector["name"]):
                expected = vector["result"] if "result" in vector else vector["error"]
                self.assertEqual(outcome(vector["env"]), expected)
                # Signal order is part of the contract: it is the order of the JSON the CLI prints.
                if "result" in vector:
                    self.assertEqual(list(outcome(vector["env"])["signals"]), list(vector["result"]["signals"]))

    def test_every_vector_again_in_reverse(self):
        # The per-variable memory must never change an answer, whatever came before.
        for vector in reversed(load_vectors()):
            with self.subTest(vector["name"]):
                expected = vector["result"] if "result" in vector else vector["error"]
                self.assertEqual(outcome(vector["env"]), expected)

    def test_raises_its_own_error_type(self):
        with self.assertRaises(netra_environment.EnvironmentDetectionError) as caught:
            netra_environment.detect_environment({"ENVIRONMENT": "qa"})
        self.assertEqual(caught.exception.code, "invalid-value")
        self.assertIsInstance(caught.exception, Exception)


if __name__ == "__main__":
    unittest.main()
