#pragma once
// Validation and normalisation of budget limits (SPEC §6.1) wherever the API accepts them:
// model limits, project-model and token-model limits, project budgets, token limits and
// settings.budgets. Every accepted input is returned in the one stored form:
//   {"metric", "windowType":"period", "period", "value"}
//   {"metric", "windowType":"rolling", "rollingAmount", "rollingUnit", "value"}
// Other members of the input are dropped. Error messages name the field, e.g.
// "field 'budgets[1].metric' must be one of cost, calls, input_tokens, output_tokens, total_tokens".
//
// Accepted input forms:
//  * SPEC §6.1: {metric, windowType, period | rollingAmount+rollingUnit, value}. windowType may
//    be omitted when period or rollingUnit says it; a legacy "window" string may stand in for
//    "period" (minute/hour→hourly, day→daily, week→weekly, month→monthly, year→yearly).
//  * SPEC §00 P9 friendly form: {metric, limit, window, mode?} where "limit" is the value and
//    "window" is one of
//      - a period name: hourly, daily, weekly, monthly, yearly;
//      - a unit name: minute/hour (→ hourly), day, week, month, year (legacy mapping above);
//      - "rolling <n> <unit>" (unit singular or plural, e.g. "rolling 24 hours") or
//        "rolling_<unit>" (n = 1), unit ∈ second, minute, hour, day, week, month;
//      - an object {"rolling": n, "unit": "<unit>"}.
//    "mode" (optional): "rolling"/"sliding" turns a named window into a rolling window of one
//    unit (e.g. {window:"day", mode:"rolling"} → rolling 1 day; hourly→hour, daily→day, ...);
//    "calendar"/"fixed"/"period" keep the calendar period; the enforcement words
//    "hard"/"block" are accepted and ignored (a limit always blocks); anything else is an error.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace routerly::config {

// `field` is the name used in error messages for this limit, e.g. "budgets[0]".
Result<boost::json::object> normalize_limit(const boost::json::value& v, std::string_view field);

// An array of limits (each normalised); `field` e.g. "budgets" → errors name "budgets[i]....".
Result<boost::json::array> normalize_limits(const boost::json::value& v, std::string_view field);

// limitsMode: one of replace, extend, disable.
Result<std::string> normalize_limits_mode(const boost::json::value& v, std::string_view field);

}  // namespace routerly::config
