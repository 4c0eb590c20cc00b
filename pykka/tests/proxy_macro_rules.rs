//! A proxied impl block written by a `macro_rules!` macro: the generated proxy methods must
//! resolve `self` and their own locals whatever the spans of the method's tokens (hygiene).

use pykka::{Proxy, Start};
#[derive(Proxy)]
#[pykka(actor)]
struct Divider;
macro_rules! divider {
    ($method:ident, $num:ty, $den:ty) => {
        #[pykka::proxy]
        impl Divider {
            pub(crate) fn $method(&self, num: $num, den: $den) -> i64 {
                num / den
            }
        }
    };
}
divider!(divide, i64, i64);
#[test]
fn a_proxied_block_from_a_macro_rules_macro_works() {
    let a = Divider.start();
    let proxy = a.proxy().unwrap();
    assert_eq!(proxy.divide(6, 2).wait().unwrap(), 3);
    // The tell form, generated from the same tokens.
    proxy.defer().divide(1, 1).unwrap();
    a.stop().wait().unwrap();
}
