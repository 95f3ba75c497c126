// The corpus replay of a fuzz target in the ordinary build: feeds every file of the directories
// (or files) named on the command line to LLVMFuzzerTestOneInput, as libFuzzer would run them, so
// that each input once found by fuzzing keeps being checked by CTest without clang.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg = argv[i];
        if (fs::is_directory(arg)) {
            for (const auto& e : fs::recursive_directory_iterator(arg))
                if (e.is_regular_file()) files.push_back(e.path());
        } else if (fs::is_regular_file(arg)) {
            files.push_back(arg);
        } else {
            std::cerr << arg << ": no such file or directory\n";
            return 2;
        }
    }
    // An empty corpus would make the test pass without checking anything.
    if (files.empty()) {
        std::cerr << "no corpus files given\n";
        return 2;
    }
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        // A copy of exactly the file's size, so that ASan (make check) sees a read past the end.
        std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
        LLVMFuzzerTestOneInput(data.data(), data.size());
    }
    std::cout << files.size() << " corpus inputs replayed\n";
    return 0;
}
