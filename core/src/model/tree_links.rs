//! The check every importer makes on a tree's child links before handing
//! the tree over: walking from the root, each node is reached once. A link
//! to the root or to a node already reached (a cycle, or two parents sharing
//! a child) is reported as the link that breaks the rule, so the importer
//! can name the array entry that holds it (`left_children[4]`,
//! `right_child[2]`). Children must already be known to lie in the tree.

use super::ensemble::NodeSpec;
use super::ensemble::LEAF;

/// Which child link of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// The left child (`x <= threshold` or the category set's side).
    Left,
    /// The right child.
    Right,
}

/// A link that reaches a node a second time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Relink {
    /// The node holding the link.
    pub parent: usize,
    /// Which of its links.
    pub side: Side,
    /// The node it points at.
    pub child: usize,
    /// The link that reached `child` first; `None` when `child` is the root.
    pub first: Option<(usize, Side)>,
}

impl Relink {
    /// What is wrong with the link, for importers that number nodes from 0
    /// (XGBoost, scikit-learn): "node 0 is the tree's root" or "node 3 is
    /// already the child of node 1 (`…`)", where `link` names the array
    /// entry of the first link (`left_children[1]`).
    pub(crate) fn problem(&self, link: impl Fn((usize, Side)) -> String) -> String {
        match self.first {
            None => format!("node {} is the tree's root", self.child),
            Some(first) => format!(
                "node {} is already the child of node {} (`{}`)",
                self.child,
                first.0,
                link(first)
            ),
        }
    }
}

/// The first link, in walking order from node 0, that reaches a node already
/// reached; `None` when the nodes reachable from the root form a tree.
/// Every non-leaf node's children must be indices into `nodes`.
pub(crate) fn first_relink(nodes: &[NodeSpec]) -> Option<Relink> {
    const UNSEEN: (usize, Side) = (usize::MAX, Side::Left);
    let mut reached_by = vec![UNSEEN; nodes.len()];
    let mut stack = vec![0usize];
    while let Some(i) = stack.pop() {
        let node = &nodes[i];
        if node.flags & LEAF != 0 {
            continue;
        }
        for (side, child) in [(Side::Left, node.left), (Side::Right, node.right)] {
            let child = child as usize;
            let first = reached_by[child];
            if child == 0 || first != UNSEEN {
                return Some(Relink {
                    parent: i,
                    side,
                    child,
                    first: (child != 0).then_some(first),
                });
            }
            reached_by[child] = (i, side);
            stack.push(child);
        }
    }
    None
}

/// The valid child indices of a tree of `n` nodes, in words.
pub(crate) fn child_range(n: usize) -> String {
    if n <= 1 {
        "none: the tree has 1 node, which must be a leaf".into()
    } else {
        format!("1..={} (the tree has {n} nodes)", n - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(left: u32, right: u32) -> NodeSpec {
        NodeSpec {
            feature: 0,
            value: 0.0,
            left,
            right,
            flags: 0,
        }
    }

    #[test]
    fn a_tree_has_no_relink() {
        let nodes = [split(1, 2), NodeSpec::leaf(1.0), NodeSpec::leaf(2.0)];
        assert_eq!(first_relink(&nodes), None);
        assert_eq!(first_relink(&[NodeSpec::leaf(1.0)]), None);
    }

    #[test]
    fn a_shared_child_names_both_links() {
        let nodes = [split(1, 2), split(2, 2), NodeSpec::leaf(2.0)];
        assert_eq!(
            first_relink(&nodes),
            Some(Relink {
                parent: 1,
                side: Side::Left,
                child: 2,
                first: Some((0, Side::Right)),
            })
        );
    }

    #[test]
    fn a_link_back_to_the_root_is_a_relink() {
        let nodes = [split(1, 2), NodeSpec::leaf(1.0), split(0, 1)];
        assert_eq!(
            first_relink(&nodes),
            Some(Relink {
                parent: 2,
                side: Side::Left,
                child: 0,
                first: None,
            })
        );
        // A node that is its own child.
        let nodes = [split(0, 0)];
        assert_eq!(first_relink(&nodes).map(|r| r.child), Some(0));
    }
}
