"""The over-quota employment reward (超比例安排残疾人就业奖励, DESIGN §8, policy 二(三)4).

`engine` decides an enterprise's declaration for a year from plain values (pure); `explain`
says the result in plain language; `loaders` reads the dated parameters it needs.
"""
