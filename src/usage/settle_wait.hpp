#pragma once
// Waiting for usage records to be settled (usage/writer.hpp) from Asio code without blocking
// an I/O thread: the completion runs on the waiting operation's own executor (for a coroutine,
// its strand), never on a writer thread. The executor's context counts the wait as outstanding
// work, so it does not run out of work while a record is being written.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <memory>
#include <utility>

#include "usage/writer.hpp"

namespace routerly::usage {

// Completes with no arguments once every record up to `ticket` is settled.
template <class CompletionToken>
auto async_wait_settled(Writer& writer, Writer::Ticket ticket, CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void()>(
      [&writer, ticket](auto handler) {
        auto work = boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                        boost::asio::execution::outstanding_work.tracked);
        // Writer callbacks are copyable std::functions; the handler is move-only.
        auto held = std::make_shared<decltype(handler)>(std::move(handler));
        writer.when_settled(ticket, [held, work]() {
          boost::asio::post(work, [held]() mutable { std::move (*held)(); });
        });
      },
      token);
}

}  // namespace routerly::usage
