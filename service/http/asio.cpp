// Asio and Beast are compiled once, here (separate compilation).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
