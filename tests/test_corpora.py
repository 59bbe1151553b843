"""Fixed corpus splits: stable, and the parts of one long broad-corpus article share a split."""

from cleannews import corpora


def test_broad_parts_share_a_split():
    for i in range(200):
        base = f"cna-{i:012x}"
        split = corpora.broad_split(base)
        assert corpora.broad_split(base + "-p1") == corpora.broad_split(base + "-p7") == split


def test_broad_split_is_not_the_news_split_of_the_same_id():
    # a different salt: a broad id never lands in a split because of news' hash
    ids = [f"doc-{i}" for i in range(2000)]
    assert any(corpora.broad_split(i) != corpora.news_split(i) for i in ids)
    shares = [corpora.broad_split(i) for i in ids]
    assert 0.02 < shares.count("test") / len(ids) < 0.07


def test_broad_reads_the_repository_corpus_or_nothing(tmp_path):
    assert list(corpora.broad(root=tmp_path)) == []
