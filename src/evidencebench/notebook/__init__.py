"""What notebooks show: the report's model as readable pandas tables, and the topic notebook template.

May import `review`, `rules` and `report`.
"""
