#pragma once
// `routerly config export|import`: all configuration as JSON in the SPEC §4 shapes, read from
// and written to the store under ROUTERLY_HOME directly (no server needed).
#include <boost/json/object.hpp>
#include <string>

#include "common/error.hpp"
#include "store/store.hpp"

namespace routerly::app {

// The export document: {format, exportedAt, settings, models, projects, tokens, users, roles}.
// Provider keys, password hashes and token values are never included (token hashes are kept
// so restored tokens keep working; they cannot be reversed).
boost::json::object export_config(const store::ConfigDocuments& docs);

// Merges an export document into the store (upsert by id). Models keep an existing sealed key;
// imported users without a password hash get an unusable one and must reset their password.
Result<std::string> import_config(store::Store& store, const boost::json::value& document);

int run_config_export(const std::string& output_path);
int run_config_import(const std::string& input_path);

}  // namespace routerly::app
