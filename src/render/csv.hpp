// Cells of the CSV files sengen writes, made safe to open in a spreadsheet.
#pragma once
#include <string>
#include <string_view>

namespace sengen::render {

// One CSV cell of text: RFC 4180 quoting (in double quotes when it holds a comma, a quote or a
// line break, inner quotes doubled), and first neutralised against formula injection (CWE-1236):
// a cell that begins with '=', '+', '-', '@', a tab or a carriage return, or with the full-width
// '＝', '＋', '－' or '＠', gets a single quote in front, so that Excel, LibreOffice and Google
// Sheets show it as text instead of evaluating it as a formula.
//
// Every text cell goes through here, including a leading '-': a text cell is never meant to be
// computed, and a phone number such as "-0312345678" is not a valid one anyway. Numbers sengen
// computes itself (points, question numbers) are written as numbers without this function: they
// come from std::to_string, hold nothing but a sign and digits, and a negative score must stay a
// number that a spreadsheet can sum.
std::string csv_cell(std::string_view text);

}  // namespace sengen::render
