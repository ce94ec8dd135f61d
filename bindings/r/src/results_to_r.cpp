#include "results_to_r.hpp"

#include <climits>
#include <cmath>

namespace vtrial::r {
namespace {

// Counts and flags as R integers when every value fits (as hdf5r reads the file's int64),
// otherwise as doubles.
Rcpp::RObject integer_column(const std::vector<double>& values) {
  bool fits = true;
  for (double v : values) fits = fits && v > INT_MIN && v <= INT_MAX;
  if (!fits) return Rcpp::NumericVector(values.begin(), values.end());
  Rcpp::IntegerVector out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = static_cast<int>(values[i]);
  return out;
}

template <class Get>
Rcpp::CharacterVector text_column(const std::vector<EndpointPower>& power, Get get) {
  Rcpp::CharacterVector out(power.size());
  for (std::size_t i = 0; i < power.size(); ++i) out[i] = Rcpp::String(get(power[i]), CE_UTF8);
  return out;
}

template <class Get>
Rcpp::NumericVector real_column(const std::vector<EndpointPower>& power, Get get) {
  Rcpp::NumericVector out(power.size());
  for (std::size_t i = 0; i < power.size(); ++i) out[i] = static_cast<double>(get(power[i]));
  return out;
}

template <class Get>
Rcpp::RObject count_column(const std::vector<EndpointPower>& power, Get get) {
  std::vector<double> values;
  for (const auto& p : power) values.push_back(static_cast<double>(get(p)));
  return integer_column(values);
}

// A named list of the columns, in order.
Rcpp::List joined(const std::vector<std::pair<std::string, Rcpp::RObject>>& columns) {
  Rcpp::List out(columns.size());
  Rcpp::CharacterVector names(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    out[i] = columns[i].second;
    names[i] = Rcpp::String(columns[i].first, CE_UTF8);
  }
  out.attr("names") = names;
  return out;
}

std::vector<std::pair<std::string, Rcpp::RObject>> power_pairs(const std::vector<EndpointPower>& p) {
  using P = EndpointPower;
  std::vector<std::pair<std::string, Rcpp::RObject>> out = {
      {"endpoint", text_column(p, [](const P& e) { return e.name; })},
      {"comparison", text_column(p, [](const P& e) { return e.comparison; })},
      {"power", real_column(p, [](const P& e) { return e.power; })},
      {"mc_se", real_column(p, [](const P& e) { return e.mc_se; })},
      {"ci_low", real_column(p, [](const P& e) { return e.ci_low; })},
      {"ci_high", real_column(p, [](const P& e) { return e.ci_high; })},
      {"rejections", count_column(p, [](const P& e) { return e.rejections; })},
      {"trials", count_column(p, [](const P& e) { return e.trials; })},
      {"kind", text_column(p, [](const P& e) { return e.kind; })},
      {"declared_endpoint", text_column(p, [](const P& e) { return e.endpoint; })},
      {"test", text_column(p, [](const P& e) { return e.test; })},
      {"outcome", text_column(p, [](const P& e) { return e.outcome; })},
      {"estimate", text_column(p, [](const P& e) { return e.estimate; })},
  };
  // The same optional columns as /summary.
  bool weighted = false, null = false;
  for (const auto& e : p) {
    weighted = weighted || e.effective_trials != static_cast<double>(e.trials);
    null = null || e.type1.trials > 0;
  }
  if (weighted) {
    out.emplace_back("prior_power", real_column(p, [](const P& e) { return e.prior_power; }));
    out.emplace_back("prior_mc_se", real_column(p, [](const P& e) { return e.prior_mc_se; }));
    out.emplace_back("effective_trials", real_column(p, [](const P& e) { return e.effective_trials; }));
  }
  if (null) {
    out.emplace_back("type1_error", real_column(p, [](const P& e) { return e.type1.power; }));
    out.emplace_back("type1_mc_se", real_column(p, [](const P& e) { return e.type1.mc_se; }));
    out.emplace_back("type1_ci_low", real_column(p, [](const P& e) { return e.type1.ci_low; }));
    out.emplace_back("type1_ci_high", real_column(p, [](const P& e) { return e.type1.ci_high; }));
    out.emplace_back("type1_rejections", count_column(p, [](const P& e) { return e.type1.rejections; }));
  }
  return out;
}

}  // namespace

Rcpp::List table_columns(const ResultTable& table) {
  std::vector<std::pair<std::string, Rcpp::RObject>> columns;
  for (std::size_t c = 0; c < table.columns(); ++c) {
    const auto& column = table.column(c);
    std::vector<double> values(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(table.rows()));
    columns.emplace_back(table.spec(c).name, table.spec(c).type == ColumnType::integer
                                                 ? integer_column(values)
                                                 : Rcpp::RObject(Rcpp::NumericVector(values.begin(), values.end())));
  }
  return joined(columns);
}

Rcpp::List power_columns(const std::vector<EndpointPower>& power) { return joined(power_pairs(power)); }

Rcpp::List group_columns(const std::vector<ResultGroup>& groups) {
  std::vector<std::pair<std::string, Rcpp::RObject>> out;
  for (const ResultGroup& g : groups) {
    std::vector<std::pair<std::string, Rcpp::RObject>> columns;
    for (const auto& [name, values] : g.strings) {
      Rcpp::CharacterVector text(values.size());
      for (std::size_t i = 0; i < values.size(); ++i) text[i] = Rcpp::String(values[i], CE_UTF8);
      columns.emplace_back(name, text);
    }
    const Rcpp::List numbers = table_columns(g.table);
    const Rcpp::CharacterVector names = numbers.names();
    for (R_xlen_t i = 0; i < numbers.size(); ++i)
      columns.emplace_back(Rcpp::as<std::string>(names[i]), Rcpp::RObject(numbers[i]));
    out.emplace_back(g.path, joined(columns));
  }
  return joined(out);
}

Rcpp::List design_list(const DesignSummary& d) {
  std::vector<std::pair<std::string, Rcpp::RObject>> fields;
  for (const auto& [name, v] : design_fields(d)) fields.emplace_back(name, Rcpp::wrap(v));
  if (!d.looks.empty()) {
    Rcpp::NumericVector fraction, day, efficacy_z, efficacy_p, futility_z, p_stop;
    for (const LookSummary& l : d.looks) {
      fraction.push_back(l.information_fraction);
      day.push_back(l.day);
      efficacy_z.push_back(l.efficacy_z);
      efficacy_p.push_back(l.efficacy_p);
      futility_z.push_back(l.futility_z);
      p_stop.push_back(l.p_stop);
    }
    fields.emplace_back("looks", joined({{"information_fraction", fraction},
                                         {"day", day},
                                         {"efficacy_z", efficacy_z},
                                         {"efficacy_p", efficacy_p},
                                         {"futility_z", futility_z},
                                         {"p_stop", p_stop}}));
  }
  return joined(fields);
}

Rcpp::List sweep_list(const SweepResult& sweep) {
  std::vector<EndpointPower> rows;
  std::vector<double> patients, difference, se_paired, se_unpaired;
  for (const auto& point : sweep.points)
    for (std::size_t e = 0; e < sweep.endpoints.size(); ++e) {
      rows.push_back(point.power[e]);
      patients.push_back(static_cast<double>(point.patients));
      difference.push_back(point.difference[e]);
      se_paired.push_back(point.difference_se_paired[e]);
      se_unpaired.push_back(point.difference_se_unpaired[e]);
    }
  auto power = power_pairs(rows);
  power.insert(power.begin(), {"patients", integer_column(patients)});
  power.emplace_back("difference", Rcpp::NumericVector(difference.begin(), difference.end()));
  power.emplace_back("difference_se_paired", Rcpp::NumericVector(se_paired.begin(), se_paired.end()));
  power.emplace_back("difference_se_unpaired", Rcpp::NumericVector(se_unpaired.begin(), se_unpaired.end()));

  // One row per N: the design's scalar values (a group-sequential design's looks are the same
  // plan at every N but for p_stop, which p_stop_at_look<j> already holds).
  std::vector<std::pair<std::string, std::vector<double>>> design;
  for (const auto& point : sweep.points) {
    const auto fields = design_fields(point.design);
    if (design.empty())
      for (const auto& [name, v] : fields) design.emplace_back(name, std::vector<double>{});
    for (std::size_t i = 0; i < fields.size() && i < design.size(); ++i) design[i].second.push_back(fields[i].second);
  }
  std::vector<double> sizes;
  for (const auto& point : sweep.points) sizes.push_back(static_cast<double>(point.patients));
  std::vector<std::pair<std::string, Rcpp::RObject>> design_columns = {{"patients", integer_column(sizes)}};
  for (const auto& [name, values] : design)
    design_columns.emplace_back(name, Rcpp::NumericVector(values.begin(), values.end()));
  return joined({{"power", joined(power)},
                 {"design", joined(design_columns)},
                 {"endpoints", Rcpp::wrap(sweep.endpoints)},
                 {"seconds", Rcpp::wrap(sweep.seconds)},
                 {"threads", Rcpp::wrap(sweep.threads)}});
}

}  // namespace vtrial::r
