"""Train the bank-marketing classifier and export it as a predict-fcgi model directory."""
